// Use cases of the event loop: report, act, read. Every call checks the caller's role and scope
// here, not in the adapters. Writes go through the store's group-committing writer and answer
// through a callback after commit.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/result.h"
#include "core/events/event.h"
#include "core/events/state_machine.h"
#include "core/identity/actor.h"
#include "core/ports/store.h"

namespace civicgrid {

class Clock;
class Crypto;
class ReferenceData;

struct CreateEventCommand {
  EventSource source = EventSource::kWeb;
  std::string category;
  std::string title;
  std::string description;
  std::optional<double> lon;
  std::optional<double> lat;
  std::string address;
  std::string reporter_name;
  std::string reporter_phone;
  int priority = 0;  // 0: the category's default
  std::vector<Attachment> attachments;
  std::string idempotency_key;  // empty: none

  // --- Camera alarms (issue 5) ---
  UserId assignee_user_id = 0;  // the on-duty grid worker the event is sent to (0: none)
  // Runs first in the write unit: the event an earlier create of the same thing made (then
  // nothing is written and the outcome is `replayed`).
  std::function<Result<std::optional<EventId>>(WriteTx&)> find_earlier;
  // Runs in the same unit after the event, its report row and its audit record are written.
  std::function<Status(WriteTx&, const Event&)> also_write;
};

struct CreateOutcome {
  Event event;
  bool replayed = false;  // the idempotency key was seen before; `event` is the original
};

// The query a caller may send; the service adds the caller's visibility.
using EventFilter = EventQuery;

// Where the routing use cases (core/routing) join the event loop, all optional. The two
// write hooks run inside the unit of the write (so what they add commits with it or not at all)
// and, like the unit, may run more than once; `changed` runs once after the commit.
struct EventHooks {
  std::function<Status(WriteTx&, const Event& created)> after_create;
  std::function<Status(WriteTx&, const Actor&, const ActionRequest&, const Event& before,
                       Event& after)>
      after_action;
  std::function<void(const Event&)> changed;
};

class EventService {
 public:
  using CreateDone = std::function<void(Result<CreateOutcome>)>;
  using ActDone = std::function<void(Result<Event>)>;
  using ReferenceSource = std::function<std::shared_ptr<const ReferenceData>()>;

  EventService(Store& store, const Clock& clock, const Crypto& crypto, ReferenceSource reference);

  // Validates, places the event in its grid, assigns its number and appends the "report" row.
  void Create(const Actor& actor, CreateEventCommand command, CreateDone done);
  // Applies one action of the state machine to the event, as `actor`.
  void Act(const Actor& actor, EventId id, ActionRequest request, ActDone done);

  // Set once while wiring, before requests arrive.
  void SetHooks(EventHooks hooks) { hooks_ = std::move(hooks); }

  Result<Event> Get(const Actor& actor, EventId id);
  Result<EventPage> List(const Actor& actor, EventFilter filter);
  Result<std::vector<HistoryEntry>> History(const Actor& actor, EventId id);

  // The visibility the caller's scope gives (also used by other use cases and the tests).
  static Visibility VisibilityOf(const Actor& actor, const ReferenceData& reference);
  static bool IsVisible(const Visibility& v, const Event& e);
  // Appends what a history row's hash covers after the previous row's hash (a canonical form;
  // history_chain.h hashes it).
  static void AppendHistoryHashInput(std::string& out, const HistoryEntry& h);

 private:
  Store& store_;
  const Clock& clock_;
  const Crypto& crypto_;
  ReferenceSource reference_;
  EventHooks hooks_;
};

// May the caller read reporters' phone numbers in full (otherwise they are masked)?
bool MaySeeFullContact(const Actor& actor);
// "13800138000" → "138****8000"; short numbers keep only their last two digits.
std::string MaskPhone(std::string_view phone);

}  // namespace civicgrid
