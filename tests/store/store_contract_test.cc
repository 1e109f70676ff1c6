// The Store contract: what every adapter of the port must do, written against the abstract Store
// and run on each adapter (a typed test suite; add a factory to the list at the bottom).
#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <thread>

#include "store_test_support.h"

namespace civicgrid::store_test {
namespace {

constexpr TimeMs kBase = 1'790'000'000'000;  // 2026-09-21
constexpr TimeMs kMinute = 60'000;

void ExpectSameEvent(const Event& a, const Event& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.number, b.number);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.category, b.category);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.lon, b.lon);
  EXPECT_EQ(a.lat, b.lat);
  EXPECT_EQ(a.address, b.address);
  EXPECT_EQ(a.grid_id, b.grid_id);
  EXPECT_EQ(a.community_id, b.community_id);
  EXPECT_EQ(a.street_id, b.street_id);
  EXPECT_EQ(a.district_id, b.district_id);
  EXPECT_EQ(a.owner_region_id, b.owner_region_id);
  EXPECT_EQ(a.reporter_name, b.reporter_name);
  EXPECT_EQ(a.reporter_phone, b.reporter_phone);
  EXPECT_EQ(a.reporter_user_id, b.reporter_user_id);
  EXPECT_EQ(a.priority, b.priority);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.department_id, b.department_id);
  EXPECT_EQ(a.assignee_user_id, b.assignee_user_id);
  EXPECT_EQ(a.deadline, b.deadline);
  EXPECT_EQ(a.suspended, b.suspended);
  EXPECT_EQ(a.suspended_at, b.suspended_at);
  EXPECT_EQ(a.supervision_level, b.supervision_level);
  EXPECT_EQ(a.escalation_level, b.escalation_level);
  EXPECT_EQ(a.merged_into, b.merged_into);
  EXPECT_EQ(a.rating, b.rating);
  ASSERT_EQ(a.attachments.size(), b.attachments.size());
  for (std::size_t i = 0; i < a.attachments.size(); ++i) {
    EXPECT_EQ(a.attachments[i].type, b.attachments[i].type);
    EXPECT_EQ(a.attachments[i].url, b.attachments[i].url);
  }
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
  EXPECT_EQ(a.closed_at, b.closed_at);
  EXPECT_EQ(a.last_hash, b.last_hash);
  EXPECT_EQ(a.history_count, b.history_count);
}

void ExpectSameHistory(const HistoryEntry& a, const HistoryEntry& b) {
  EXPECT_EQ(a.event_id, b.event_id);
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.action, b.action);
  EXPECT_EQ(a.actor_id, b.actor_id);
  EXPECT_EQ(a.actor_name, b.actor_name);
  EXPECT_EQ(a.actor_role, b.actor_role);
  EXPECT_EQ(a.at, b.at);
  EXPECT_EQ(a.from_status, b.from_status);
  EXPECT_EQ(a.to_status, b.to_status);
  EXPECT_EQ(a.note, b.note);
  EXPECT_EQ(a.data, b.data);
  EXPECT_EQ(a.prev_hash, b.prev_hash);
  EXPECT_EQ(a.hash, b.hash);
}

// The reference semantics of EventQuery (without text), against which adapters are checked.
RegionId RegionAt(const Event& e, RegionLevel level) {
  switch (level) {
    case RegionLevel::kDistrict: return e.district_id;
    case RegionLevel::kStreet: return e.street_id;
    case RegionLevel::kCommunity: return e.community_id;
    case RegionLevel::kGrid: return e.grid_id;
    case RegionLevel::kCity: return -1;
  }
  return -1;
}

bool IsVisible(const Visibility& v, const Event& e) {
  if (v.all) return true;
  if (v.region_id != 0 && v.region_level == RegionLevel::kCity) return true;
  if (v.region_id != 0 && RegionAt(e, v.region_level) == v.region_id) return true;
  if (v.department_id != 0 && e.department_id == v.department_id) return true;
  return v.reporter_id != 0 && e.reporter_user_id == v.reporter_id;
}

bool Matches(const EventQuery& q, const Event& e) {
  if (!IsVisible(q.visibility, e)) return false;
  if (!q.statuses.empty() &&
      std::find(q.statuses.begin(), q.statuses.end(), e.status) == q.statuses.end()) {
    return false;
  }
  if (!q.category.empty() && e.category.rfind(q.category, 0) != 0) return false;
  if (q.source && e.source != *q.source) return false;
  if (q.department_id != 0 && e.department_id != q.department_id) return false;
  if (q.region_id != 0 && q.region_level != RegionLevel::kCity &&
      RegionAt(e, q.region_level) != q.region_id) {
    return false;
  }
  if (q.grid_id != 0 && e.grid_id != q.grid_id) return false;
  if (q.created_from && e.created_at < *q.created_from) return false;
  if (q.created_to && e.created_at >= *q.created_to) return false;
  if (q.updated_from && e.updated_at < *q.updated_from) return false;
  if (q.updated_to && e.updated_at >= *q.updated_to) return false;
  if (q.overdue) {
    const bool overdue = IsOpen(e.status) && e.deadline && *e.deadline < q.now;
    if (overdue != *q.overdue) return false;
  }
  return q.before_id == 0 || e.id < q.before_id;
}

EventQuery All() {
  EventQuery q;
  q.visibility.all = true;
  return q;
}

template <typename Factory>
class StoreContractTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  Store& store() { return *store_; }

  void Reopen() {
    store_.reset();
    auto opened = factory_.Open();
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }

  // Inserts the events (one unit) with a report row each; returns them with their ids.
  std::vector<Event> Insert(std::vector<Event> events) {
    const Status s = Write(store(), [&](WriteTx& tx) -> Status {
      for (Event& e : events) {
        if (Status st = tx.InsertEvent(e); !st.ok()) return st;
        if (Status st = tx.AppendHistory(SampleHistory(e, 1)); !st.ok()) return st;
      }
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.error().message;
    return events;
  }

  // Every page of `q` (pages of `page_size`), checking order and has_more on the way.
  std::vector<EventId> ListAll(EventQuery q, int page_size) {
    q.limit = page_size;
    std::vector<EventId> ids;
    for (int pages = 0; pages < 10000; ++pages) {
      auto page = store().ListEvents(q);
      EXPECT_TRUE(page) << page.error().message;
      if (!page) break;
      EXPECT_LE(page->items.size(), static_cast<std::size_t>(page_size));
      for (const Event& e : page->items) {
        EXPECT_TRUE(ids.empty() || e.id < ids.back()) << "not newest first at " << e.id;
        ids.push_back(e.id);
      }
      if (!page->has_more) break;
      EXPECT_EQ(page->items.size(), static_cast<std::size_t>(page_size));
      q.before_id = ids.back();
    }
    return ids;
  }

  // Checks that `q` lists exactly the events of `events` the reference semantics select.
  void ExpectLists(const std::vector<Event>& events, const EventQuery& q, int page_size = 7) {
    std::vector<EventId> expected;
    for (const Event& e : events) {
      if (Matches(q, e)) expected.push_back(e.id);
    }
    std::sort(expected.rbegin(), expected.rend());
    EXPECT_EQ(ListAll(q, page_size), expected);
  }

  std::vector<EventId> Search(std::string text, EventQuery q = All()) {
    q.text = std::move(text);
    return ListAll(q, 50);
  }

  Factory factory_;
  std::unique_ptr<Store> store_;
};

TYPED_TEST_SUITE_P(StoreContractTest);

TYPED_TEST_P(StoreContractTest, EventRoundTripsEveryField) {
  Event e = SampleEvent(7, kBase);
  e.title = "小区东门井盖缺失 \"quoted\" \\ back";
  e.description = "第二行\n\ttab 😀 emoji";
  e.lon = 123.45678901234567;
  e.lat = -0.1 - 0.2;
  e.deadline = kBase + 12345;
  e.suspended = true;
  e.suspended_at = kBase + 5;
  e.supervision_level = 2;
  e.escalation_level = 1;
  e.merged_into = 99;
  e.rating = 4;
  e.attachments = {{"photo", "https://x.test/a.jpg?q=\"1\"&r=中文"}, {"video", "v\\1"}};
  e.closed_at = kBase + 77;
  e.last_hash = "abcdef0123";
  e.history_count = 3;
  Event stored = this->Insert({e})[0];
  ASSERT_GT(stored.id, 0);
  e.id = stored.id;

  auto found = this->store().FindEvent(e.id);
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  ExpectSameEvent(**found, e);

  // Every mutable field changes; the writer's own view agrees.
  Event u = e;
  u.category = "0201";
  u.lon = 1.0 / 3;
  u.lat = 2.0 / 3;
  u.address = "新地址";
  u.grid_id = 20001;
  u.community_id = 2001;
  u.street_id = 201;
  u.district_id = 21;
  u.owner_region_id = 201;
  u.reporter_name = "王五";
  u.reporter_phone = "13900000000";
  u.priority = 1;
  u.status = EventStatus::kInProgress;
  u.version = 9;
  u.department_id = 33;
  u.assignee_user_id = 44;
  u.deadline.reset();
  u.suspended = false;
  u.suspended_at = 0;
  u.supervision_level = 3;
  u.escalation_level = 2;
  u.merged_into = 0;
  u.rating = 0;
  u.attachments = {{"document", "d.pdf"}};
  u.updated_at = kBase + 999;
  u.closed_at.reset();
  u.last_hash = "ffff";
  u.history_count = 4;
  const Status s = Write(this->store(), [&](WriteTx& tx) -> Status {
    if (Status st = tx.UpdateEvent(u); !st.ok()) return st;
    auto mine = tx.FindEvent(u.id);
    if (!mine) return mine.error();
    EXPECT_TRUE(mine->has_value());
    if (mine->has_value()) ExpectSameEvent(**mine, u);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  this->Reopen();
  found = this->store().FindEvent(u.id);
  ASSERT_TRUE(found && found->has_value());
  ExpectSameEvent(**found, u);
}

TYPED_TEST_P(StoreContractTest, MissingEventsAreAbsentOrNotFound) {
  auto found = this->store().FindEvent(12345);
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->has_value());
  Event e = SampleEvent(1, kBase);
  e.id = 12345;
  const Status s = Write(this->store(), [&](WriteTx& tx) { return tx.UpdateEvent(e); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
}

TYPED_TEST_P(StoreContractTest, AlarmTypesStartWithTheDefaultsAndArePutByType) {
  auto listed = this->store().ListAlarmTypes();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), DefaultAlarmTypes().size());
  for (const AlarmType& d : DefaultAlarmTypes()) {
    auto found = this->store().FindAlarmType(d.type);
    ASSERT_TRUE(found && found->has_value()) << d.type;
    EXPECT_EQ((*found)->category, d.category);
    EXPECT_EQ((*found)->label, d.label);
  }
  EXPECT_FALSE(this->store().FindAlarmType("smoke_seen")->has_value());
  const AlarmType added{"smoke_seen", "H0294", "烟雾"}, changed{"snow_ice", "U06012", "积雪"};
  ASSERT_TRUE(Write(this->store(), [&](WriteTx& tx) -> Status {
                if (Status s = tx.PutAlarmType(added); !s) return s;
                auto before = tx.FindAlarmType("snow_ice");
                if (!before) return before.error();
                EXPECT_TRUE(before->has_value());
                return tx.PutAlarmType(changed);
              }).ok());
  EXPECT_EQ(this->store().ListAlarmTypes()->size(), DefaultAlarmTypes().size() + 1);
  EXPECT_EQ(this->store().FindAlarmType("smoke_seen")->value().category, "H0294");
  EXPECT_EQ(this->store().FindAlarmType("snow_ice")->value().label, "积雪");
  // A refused unit leaves the mapping as it was.
  EXPECT_FALSE(Write(this->store(), [&](WriteTx& tx) -> Status {
                 if (Status s = tx.PutAlarmType({"snow_ice", "P0294", "x"}); !s) return s;
                 return Fail(ErrorCode::kFailedPrecondition, "refused");
               }).ok());
  EXPECT_EQ(this->store().FindAlarmType("snow_ice")->value().category, "U06012");
}

TYPED_TEST_P(StoreContractTest, EventIdsAreFreshAndNeverReusedAfterARefusal) {
  EventId first = 0, refused = 0, next = 0;
  ASSERT_TRUE(Write(this->store(), [&](WriteTx& tx) -> Status {
                auto id = tx.NextEventId();
                if (!id) return id.error();
                Event e = SampleEvent(1, kBase);
                e.id = first = *id;
                return tx.InsertEvent(e);
              }).ok());
  const Status s = Write(this->store(), [&](WriteTx& tx) -> Status {
    auto id = tx.NextEventId();
    if (!id) return id.error();
    Event e = SampleEvent(2, kBase);
    e.id = refused = *id;
    if (Status st = tx.InsertEvent(e); !st.ok()) return st;
    return Fail(ErrorCode::kFailedPrecondition, "refused");
  });
  EXPECT_FALSE(s.ok());
  ASSERT_TRUE(Write(this->store(), [&](WriteTx& tx) -> Status {
                Event e = SampleEvent(3, kBase);  // no id: the store assigns one
                if (Status st = tx.InsertEvent(e); !st.ok()) return st;
                next = e.id;
                return Status::Ok();
              }).ok());
  EXPECT_GT(refused, first);
  EXPECT_GT(next, refused);
  EXPECT_TRUE(this->store().FindEvent(first)->has_value());
  EXPECT_FALSE(this->store().FindEvent(refused)->has_value());
  EXPECT_TRUE(this->store().FindEvent(next)->has_value());
}

TYPED_TEST_P(StoreContractTest, UniqueKeysAreAlreadyExists) {
  Event e = this->Insert({SampleEvent(1, kBase)})[0];
  Event twin = SampleEvent(1, kBase);  // the same number
  Status s = Write(this->store(), [&](WriteTx& tx) { return tx.InsertEvent(twin); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kAlreadyExists);
  s = Write(this->store(), [&](WriteTx& tx) { return tx.AppendHistory(SampleHistory(e, 1)); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kAlreadyExists);
  User u;
  u.username = "dup";
  ASSERT_TRUE(Write(this->store(), [&](WriteTx& tx) { return tx.InsertUser(u); }).ok());
  User again;
  again.username = "dup";
  s = Write(this->store(), [&](WriteTx& tx) { return tx.InsertUser(again); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kAlreadyExists);
}

TYPED_TEST_P(StoreContractTest, HistoryIsOrderedBySeqAndScannable) {
  std::vector<Event> events = this->Insert({SampleEvent(1, kBase), SampleEvent(2, kBase)});
  const Status s = Write(this->store(), [&](WriteTx& tx) -> Status {
    for (std::int64_t seq : {3, 2, 4}) {
      if (Status st = tx.AppendHistory(SampleHistory(events[0], seq)); !st.ok()) return st;
    }
    return tx.AppendHistory(SampleHistory(events[1], 2));
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto history = this->store().EventHistory(events[0].id);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 4u);
  for (std::size_t i = 0; i < history->size(); ++i) {
    ExpectSameHistory((*history)[i], SampleHistory(events[0], static_cast<std::int64_t>(i) + 1));
  }
  EXPECT_TRUE(this->store().EventHistory(999999)->empty());

  std::vector<std::pair<EventId, std::int64_t>> seen;
  ASSERT_TRUE(this->store()
                  .ScanHistory([&](const HistoryEntry& h) {
                    seen.emplace_back(h.event_id, h.seq);
                    return true;
                  })
                  .ok());
  const std::vector<std::pair<EventId, std::int64_t>> expected = {
      {events[0].id, 1}, {events[0].id, 2}, {events[0].id, 3},
      {events[0].id, 4}, {events[1].id, 1}, {events[1].id, 2}};
  EXPECT_EQ(seen, expected);
  int visits = 0;
  ASSERT_TRUE(this->store().ScanHistory([&](const HistoryEntry&) { return ++visits < 2; }).ok());
  EXPECT_EQ(visits, 2);
}

TYPED_TEST_P(StoreContractTest, IdempotencyKeysAreLookedUpPerUser) {
  const Event e = this->Insert({SampleEvent(1, kBase)})[0];
  const Status s = Write(this->store(), [&](WriteTx& tx) -> Status {
    auto none = tx.FindIdempotentEvent(7, "key-1");
    if (!none) return none.error();
    EXPECT_FALSE(none->has_value());
    return tx.PutIdempotencyKey(7, "key-1", e.id, kBase);
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  this->Reopen();
  ASSERT_TRUE(Write(this->store(), [&](WriteTx& tx) -> Status {
                auto found = tx.FindIdempotentEvent(7, "key-1");
                EXPECT_TRUE(found && *found == std::optional<EventId>(e.id));
                auto other_user = tx.FindIdempotentEvent(8, "key-1");
                EXPECT_TRUE(other_user && !other_user->has_value());
                auto other_key = tx.FindIdempotentEvent(7, "key-2");
                EXPECT_TRUE(other_key && !other_key->has_value());
                return Status::Ok();
              }).ok());
  const Status dup =
      Write(this->store(), [&](WriteTx& tx) { return tx.PutIdempotencyKey(7, "key-1", e.id, 0); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
}

TYPED_TEST_P(StoreContractTest, DailySequencesCountPerDay) {
  std::vector<std::int64_t> got;
  const auto next = [&](std::string day) {
    return Write(this->store(), [&got, day](WriteTx& tx) -> Status {
      auto n = tx.NextDailySequence(day);
      if (!n) return n.error();
      got.push_back(*n);
      return Status::Ok();
    });
  };
  ASSERT_TRUE(next("20261121").ok());
  ASSERT_TRUE(next("20261121").ok());
  ASSERT_TRUE(next("20261122").ok());
  ASSERT_TRUE(next("20261121").ok());
  this->Reopen();
  ASSERT_TRUE(next("20261121").ok());
  ASSERT_TRUE(next("20261122").ok());
  EXPECT_EQ(got, (std::vector<std::int64_t>{1, 2, 1, 3, 4, 2}));
}

TYPED_TEST_P(StoreContractTest, DailySequencesAreReservedInRuns) {
  std::vector<std::int64_t> got;
  const auto reserve = [&](std::string day, std::int64_t count, bool refuse = false) {
    return Write(this->store(), [&got, day, count, refuse](WriteTx& tx) -> Status {
      auto first = tx.ReserveDailySequences(day, count);
      if (!first) return first.error();
      if (refuse) return Fail(ErrorCode::kFailedPrecondition, "refused");
      got.push_back(*first);
      return Status::Ok();
    });
  };
  ASSERT_TRUE(reserve("20261121", 5).ok());  // 1..5
  ASSERT_TRUE(reserve("20261122", 2).ok());  // 1..2, another day
  ASSERT_TRUE(Write(this->store(), [&](WriteTx& tx) -> Status {
                auto n = tx.NextDailySequence("20261121");  // 6
                if (!n) return n.error();
                got.push_back(*n);
                return Status::Ok();
              }).ok());
  EXPECT_FALSE(reserve("20261121", 100, true).ok());  // a refused unit takes nothing
  ASSERT_TRUE(reserve("20261121", 1).ok());           // 7
  this->Reopen();
  ASSERT_TRUE(reserve("20261121", 3).ok());  // 8..10
  EXPECT_EQ(got, (std::vector<std::int64_t>{1, 1, 6, 7, 8}));
  // Zero numbers is a bug of the caller, refused without taking any.
  EXPECT_FALSE(reserve("20261121", 0).ok());
  ASSERT_TRUE(reserve("20261121", 1).ok());
  EXPECT_EQ(got.back(), 11);
}

TYPED_TEST_P(StoreContractTest, ReferenceDataRoundTrips) {
  Region city{0, 0, RegionLevel::kCity, "210100", "沈阳市", {}};
  Region district{0, 0, RegionLevel::kDistrict, "210102", "和平区", {}};
  district.polygon.rings = {
      {{123.1, 41.1}, {123.45678901234567, 41.2}, {0.1 + 0.2, -1e-300}, {123.1, 41.1}},
      {{123.2, 41.15}, {123.3, 41.15}, {123.25, 41.18}, {123.2, 41.15}}};
  Department dept{0, "D01", "城管局", "urban management", 0};
  Category cat{"0101", "恋爱及婚姻", "courtship", "01", 0, 5, TimeUnit::kWorkingDays, 2};
  Category top{"01", "婚恋家庭纠纷", "marriage", "", 0, 0, TimeUnit::kHours, 3};
  User user;
  user.username = "li4";
  user.display_name = "李四";
  user.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  user.roles = RoleSet{Role::kGridWorker, Role::kAdmin};
  user.disabled = true;
  ASSERT_TRUE(Write(this->store(), [&](WriteTx& tx) -> Status {
                if (Status s = tx.InsertRegion(city); !s.ok()) return s;
                district.parent_id = city.id;
                if (Status s = tx.InsertRegion(district); !s.ok()) return s;
                dept.region_id = district.id;
                if (Status s = tx.InsertDepartment(dept); !s.ok()) return s;
                cat.department_id = dept.id;
                if (Status s = tx.UpsertCategory(cat); !s.ok()) return s;
                if (Status s = tx.UpsertCategory(top); !s.ok()) return s;
                user.region_id = district.id;
                user.department_id = dept.id;
                return tx.InsertUser(user);
              }).ok());
  cat.name = "恋爱及婚姻纠纷";
  cat.time_limit = 3;
  cat.time_unit = TimeUnit::kWorkingHours;
  ASSERT_TRUE(Write(this->store(), [&](WriteTx& tx) { return tx.UpsertCategory(cat); }).ok());
  this->Reopen();

  auto regions = this->store().LoadRegions();
  ASSERT_TRUE(regions) << regions.error().message;
  ASSERT_EQ(regions->size(), 2u);
  const Region& r0 = (*regions)[0];
  const Region& r1 = (*regions)[1];
  EXPECT_EQ(r0.id, city.id);
  EXPECT_EQ(r0.parent_id, 0);
  EXPECT_EQ(r0.level, RegionLevel::kCity);
  EXPECT_TRUE(r0.polygon.rings.empty());
  EXPECT_EQ(r1.id, district.id);
  EXPECT_EQ(r1.parent_id, city.id);
  EXPECT_EQ(r1.level, RegionLevel::kDistrict);
  EXPECT_EQ(r1.code, "210102");
  EXPECT_EQ(r1.name, "和平区");
  ASSERT_EQ(r1.polygon.rings.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    ASSERT_EQ(r1.polygon.rings[i].size(), district.polygon.rings[i].size());
    for (std::size_t k = 0; k < r1.polygon.rings[i].size(); ++k) {
      EXPECT_EQ(r1.polygon.rings[i][k].lon, district.polygon.rings[i][k].lon);
      EXPECT_EQ(r1.polygon.rings[i][k].lat, district.polygon.rings[i][k].lat);
    }
  }

  auto departments = this->store().LoadDepartments();
  ASSERT_TRUE(departments);
  ASSERT_EQ(departments->size(), 1u);
  EXPECT_EQ((*departments)[0].id, dept.id);
  EXPECT_EQ((*departments)[0].code, "D01");
  EXPECT_EQ((*departments)[0].name, "城管局");
  EXPECT_EQ((*departments)[0].name_en, "urban management");
  EXPECT_EQ((*departments)[0].region_id, district.id);

  auto categories = this->store().LoadCategories();
  ASSERT_TRUE(categories);
  ASSERT_EQ(categories->size(), 2u);
  const Category& c0 = (*categories)[0];
  const Category& c1 = (*categories)[1];
  EXPECT_EQ(c0.code, "01");
  EXPECT_EQ(c0.parent_code, "");
  EXPECT_EQ(c0.time_unit, TimeUnit::kHours);
  EXPECT_EQ(c0.priority, 3);
  EXPECT_EQ(c1.code, "0101");
  EXPECT_EQ(c1.name, "恋爱及婚姻纠纷");
  EXPECT_EQ(c1.name_en, "courtship");
  EXPECT_EQ(c1.parent_code, "01");
  EXPECT_EQ(c1.department_id, dept.id);
  EXPECT_EQ(c1.time_limit, 3);
  EXPECT_EQ(c1.time_unit, TimeUnit::kWorkingHours);

  for (auto found : {this->store().FindUserByName("li4"), this->store().FindUser(user.id)}) {
    ASSERT_TRUE(found);
    ASSERT_TRUE(found->has_value());
    const User& u = **found;
    EXPECT_EQ(u.id, user.id);
    EXPECT_EQ(u.username, "li4");
    EXPECT_EQ(u.display_name, "李四");
    EXPECT_EQ(u.password_hash, user.password_hash);
    EXPECT_EQ(u.roles.bits(), user.roles.bits());
    EXPECT_EQ(u.region_id, district.id);
    EXPECT_EQ(u.department_id, dept.id);
    EXPECT_TRUE(u.disabled);
  }
  EXPECT_FALSE(this->store().FindUserByName("nobody")->has_value());
  EXPECT_FALSE(this->store().FindUser(user.id + 100)->has_value());
}

TYPED_TEST_P(StoreContractTest, SessionsAreStoredFoundAndDeleted) {
  User user;
  user.username = "s";
  ASSERT_TRUE(Write(this->store(), [&](WriteTx& tx) { return tx.InsertUser(user); }).ok());
  const Session session{"a1b2c3", user.id, kBase, kBase + 3600000};
  ASSERT_TRUE(Write(this->store(), [&](WriteTx& tx) { return tx.InsertSession(session); }).ok());
  auto found = this->store().FindSession("a1b2c3");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->token_hash, "a1b2c3");
  EXPECT_EQ((*found)->user_id, user.id);
  EXPECT_EQ((*found)->created_at, kBase);
  EXPECT_EQ((*found)->expires_at, kBase + 3600000);
  const Status dup = Write(this->store(), [&](WriteTx& tx) { return tx.InsertSession(session); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  ASSERT_TRUE(Write(this->store(), [&](WriteTx& tx) { return tx.DeleteSession("a1b2c3"); }).ok());
  EXPECT_FALSE(this->store().FindSession("a1b2c3")->has_value());
  EXPECT_TRUE(Write(this->store(), [&](WriteTx& tx) { return tx.DeleteSession("none"); }).ok());
}

TYPED_TEST_P(StoreContractTest, GroupCommitOfManyConcurrentUnits) {
  constexpr int kThreads = 64;
  constexpr int kUnits = 200;
  std::vector<std::atomic<int>> calls(kThreads * kUnits);
  std::vector<std::atomic<bool>> visible(kThreads * kUnits);
  std::atomic<int> failures{0};
  Store& store = this->store();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kUnits; ++i) {
        const int n = t * kUnits + i;
        auto id = std::make_shared<EventId>(0);
        store.Submit(
            [n, id](WriteTx& tx) -> Status {
              Event e = SampleEvent(n, kBase + n);
              if (Status s = tx.InsertEvent(e); !s.ok()) return s;
              *id = e.id;
              if (Status s = tx.AppendHistory(SampleHistory(e, 1)); !s.ok()) return s;
              return tx.PutIdempotencyKey(n, "k", e.id, kBase);
            },
            [&, n, id](Status s) {
              calls[n].fetch_add(1);
              if (!s.ok()) failures.fetch_add(1);
              // Called after the commit: a reader already sees the row.
              auto found = store.FindEvent(*id);
              visible[n] = found && found->has_value();
            });
      }
    });
  }
  for (auto& t : threads) t.join();
  store.Drain();
  EXPECT_EQ(failures.load(), 0);
  for (int n = 0; n < kThreads * kUnits; ++n) {
    ASSERT_EQ(calls[n].load(), 1) << "unit " << n;
    ASSERT_TRUE(visible[n].load()) << "unit " << n;
  }
  this->Reopen();
  EXPECT_EQ(this->ListAll(All(), 500).size(), static_cast<std::size_t>(kThreads * kUnits));
  ASSERT_TRUE(Write(this->store(), [&](WriteTx& tx) -> Status {
                for (int n : {0, 4321, kThreads * kUnits - 1}) {
                  auto found = tx.FindIdempotentEvent(n, "k");
                  EXPECT_TRUE(found && found->has_value()) << n;
                }
                return Status::Ok();
              }).ok());
}

TYPED_TEST_P(StoreContractTest, AFailingUnitChangesNothingAndItsBatchMatesCommit) {
  Store& store = this->store();
  // Hold the writer so that the next units queue up and commit together.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> holding{false};
  store.Submit(
      [&](WriteTx&) {
        holding = true;
        released.wait();
        return Status::Ok();
      },
      nullptr);
  while (!holding) std::this_thread::yield();

  std::map<char, Status> outcome;
  std::mutex mu;
  const auto record = [&](char unit) {
    return [&, unit](Status s) {
      std::lock_guard lock(mu);
      outcome.emplace(unit, std::move(s));
    };
  };
  const auto insert = [](WriteTx& tx, int n, std::string title, std::string key) -> Status {
    Event e = SampleEvent(n, kBase);
    e.title = std::move(title);
    if (Status s = tx.InsertEvent(e); !s.ok()) return s;
    if (Status s = tx.AppendHistory(SampleHistory(e, 1)); !s.ok()) return s;
    if (Status s = tx.PutIdempotencyKey(1, key, e.id, kBase); !s.ok()) return s;
    auto seq = tx.NextDailySequence("20991231");
    if (!seq) return seq.error();
    return Status::Ok();
  };
  std::int64_t d_sequence = 0;
  store.Submit([&](WriteTx& tx) { return insert(tx, 1, "甲乙丙丁", "a"); }, record('a'));
  store.Submit(
      [&](WriteTx& tx) -> Status {
        if (Status s = insert(tx, 2, "幽灵井盖", "b"); !s.ok()) return s;
        return Fail(ErrorCode::kFailedPrecondition, "refused");
      },
      record('b'));
  store.Submit(
      [&](WriteTx& tx) -> Status {
        if (Status s = insert(tx, 3, "鬼魂路灯", "c"); !s.ok()) return s;
        throw std::runtime_error("boom");
      },
      record('c'));
  store.Submit(
      [&](WriteTx& tx) -> Status {
        if (Status s = insert(tx, 4, "戊己庚辛", "d"); !s.ok()) return s;
        auto seq = tx.NextDailySequence("20991231");
        if (!seq) return seq.error();
        d_sequence = *seq;
        return Status::Ok();
      },
      record('d'));
  release.set_value();
  store.Drain();

  ASSERT_EQ(outcome.size(), 4u);
  EXPECT_TRUE(outcome.at('a').ok());
  ASSERT_FALSE(outcome.at('b').ok());
  EXPECT_EQ(outcome.at('b').error().code, ErrorCode::kFailedPrecondition);
  ASSERT_FALSE(outcome.at('c').ok());
  EXPECT_EQ(outcome.at('c').error().code, ErrorCode::kInternal);
  EXPECT_TRUE(outcome.at('d').ok()) << outcome.at('d').error().message;
  EXPECT_EQ(d_sequence, 3);  // a: 1, d: 2 and 3; b's and c's increments were rolled back

  EXPECT_EQ(this->ListAll(All(), 50).size(), 2u);
  EXPECT_EQ(this->Search("甲乙").size(), 1u);
  EXPECT_EQ(this->Search("庚辛").size(), 1u);
  EXPECT_TRUE(this->Search("幽灵").empty());
  EXPECT_TRUE(this->Search("路灯").empty());
  ASSERT_TRUE(Write(store, [&](WriteTx& tx) -> Status {
                for (const char* key : {"a", "d"}) {
                  EXPECT_TRUE(tx.FindIdempotentEvent(1, key)->has_value()) << key;
                }
                for (const char* key : {"b", "c"}) {
                  EXPECT_FALSE(tx.FindIdempotentEvent(1, key)->has_value()) << key;
                }
                return Status::Ok();
              }).ok());
  std::size_t history_rows = 0;
  ASSERT_TRUE(store
                  .ScanHistory([&](const HistoryEntry&) {
                    ++history_rows;
                    return true;
                  })
                  .ok());
  EXPECT_EQ(history_rows, 2u);
}

TYPED_TEST_P(StoreContractTest, DrainWaitsForEveryUnitSubmitted) {
  std::atomic<int> done{0};
  for (int i = 0; i < 1000; ++i) {
    this->store().Submit(
        [i](WriteTx& tx) -> Status {
          Event e = SampleEvent(i, kBase);
          return tx.InsertEvent(e);
        },
        [&](Status s) {
          EXPECT_TRUE(s.ok());
          done.fetch_add(1);
        });
  }
  this->store().Drain();
  EXPECT_EQ(done.load(), 1000);
}

// A data set for the list tests: n events, varied on every filtered field.
std::vector<Event> ListData(int n) {
  std::vector<Event> events;
  for (int i = 0; i < n; ++i) events.push_back(SampleEvent(i, kBase + i * kMinute));
  return events;
}

TYPED_TEST_P(StoreContractTest, ListEventsAppliesEachFilter) {
  const std::vector<Event> events = this->Insert(ListData(120));
  std::vector<std::pair<std::string, EventQuery>> cases;
  const auto add = [&](std::string name, auto edit) {
    EventQuery q = All();
    edit(q);
    cases.emplace_back(std::move(name), std::move(q));
  };
  add("everything", [](EventQuery&) {});
  add("one status", [](EventQuery& q) { q.statuses = {EventStatus::kDispatched}; });
  add("open statuses", [](EventQuery& q) {
    q.statuses = {EventStatus::kReported, EventStatus::kAccepted, EventStatus::kDispatched,
                  EventStatus::kInProgress, EventStatus::kHandled};
  });
  add("status repeated", [](EventQuery& q) {
    q.statuses = {EventStatus::kClosed, EventStatus::kClosed, EventStatus::kMerged};
  });
  add("category code", [](EventQuery& q) { q.category = "0102"; });
  add("category class", [](EventQuery& q) { q.category = "01"; });
  add("category unknown", [](EventQuery& q) { q.category = "99"; });
  add("source", [](EventQuery& q) { q.source = EventSource::kHotline; });
  add("department", [](EventQuery& q) { q.department_id = 22; });
  add("district", [](EventQuery& q) {
    q.region_level = RegionLevel::kDistrict;
    q.region_id = 11;
  });
  add("street", [](EventQuery& q) {
    q.region_level = RegionLevel::kStreet;
    q.region_id = 102;
  });
  add("community", [](EventQuery& q) {
    q.region_level = RegionLevel::kCommunity;
    q.region_id = 1005;
  });
  add("grid as region", [](EventQuery& q) {
    q.region_level = RegionLevel::kGrid;
    q.region_id = 10003;
  });
  add("city region is everything", [](EventQuery& q) {
    q.region_level = RegionLevel::kCity;
    q.region_id = 1;
  });
  add("grid", [](EventQuery& q) { q.grid_id = 10007; });
  add("created from", [](EventQuery& q) { q.created_from = kBase + 30 * kMinute; });
  add("created range", [](EventQuery& q) {
    q.created_from = kBase + 30 * kMinute;
    q.created_to = kBase + 60 * kMinute;
  });
  add("updated range", [](EventQuery& q) {
    q.updated_from = kBase + 40 * kMinute;
    q.updated_to = kBase + 150 * kMinute;
  });
  add("overdue", [](EventQuery& q) {
    q.overdue = true;
    q.now = kBase + 60 * kMinute;
  });
  add("not overdue", [](EventQuery& q) {
    q.overdue = false;
    q.now = kBase + 60 * kMinute;
  });
  add("overdue and statuses", [](EventQuery& q) {
    q.overdue = true;
    q.now = kBase + 60 * kMinute;
    q.statuses = {EventStatus::kReported, EventStatus::kHandled, EventStatus::kClosed};
  });
  add("before id", [&](EventQuery& q) { q.before_id = events[50].id; });
  add("combined", [](EventQuery& q) {
    q.statuses = {EventStatus::kReported, EventStatus::kEvaluated, EventStatus::kHandled};
    q.category = "01";
    q.region_level = RegionLevel::kDistrict;
    q.region_id = 10;
    q.created_from = kBase + 10 * kMinute;
  });
  add("combined with visibility", [](EventQuery& q) {
    q.visibility = Visibility{false, RegionLevel::kStreet, 101, 23, 502};
    q.statuses = {EventStatus::kReported, EventStatus::kAccepted, EventStatus::kHandled};
    q.category = "01";
  });
  for (const auto& [name, q] : cases) {
    SCOPED_TRACE(name);
    this->ExpectLists(events, q);
    this->ExpectLists(events, q, 500);
  }
}

TYPED_TEST_P(StoreContractTest, TimeRangesAreExactWhateverTheOrderOfCreation) {
  // Creation times mostly rising with ids, some a little late, two far out of order.
  std::vector<Event> events = ListData(150);
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i % 7 == 3) events[i].created_at -= 5 * kMinute;
    events[i].updated_at = kBase + static_cast<TimeMs>((i * 37) % 150) * kMinute;
  }
  std::vector<Event> first(events.begin(), events.begin() + 100);
  first = this->Insert(first);
  std::vector<EventQuery> queries;
  const auto add_ranges = [&] {
    for (int from : {-1, 0, 20, 95, 140}) {
      for (int to : {-1, 10, 50, 99, 149, 200}) {
        EventQuery q = All();
        if (from >= 0) q.created_from = kBase + from * kMinute;
        if (to >= 0) q.created_to = kBase + to * kMinute;
        queries.push_back(q);
        EventQuery u = All();
        if (from >= 0) u.updated_from = kBase + from * kMinute;
        if (to >= 0) u.updated_to = kBase + to * kMinute;
        queries.push_back(u);
      }
    }
  };
  add_ranges();
  for (const EventQuery& q : queries) {
    this->ExpectLists(first, q, 4);
    this->ExpectLists(first, q, 500);
  }
  // Far out of order: an event created long before the others, and one from the far future.
  std::vector<Event> rest(events.begin() + 100, events.end());
  rest[10].created_at = kBase - 1000 * kMinute;
  rest[20].created_at = kBase + 10000 * kMinute;
  rest = this->Insert(rest);
  std::vector<Event> all = first;
  all.insert(all.end(), rest.begin(), rest.end());
  for (const EventQuery& q : queries) {
    this->ExpectLists(all, q, 4);
    this->ExpectLists(all, q, 500);
  }
}

TYPED_TEST_P(StoreContractTest, VisibilityCriteriaAreOred) {
  const std::vector<Event> events = this->Insert(ListData(120));
  const std::vector<Visibility> cases = {
      {false, RegionLevel::kGrid, 10003, 0, 0},   {false, RegionLevel::kGrid, 0, 21, 0},
      {false, RegionLevel::kGrid, 0, 0, 503},     {false, RegionLevel::kCommunity, 1001, 24, 0},
      {false, RegionLevel::kStreet, 102, 0, 500}, {false, RegionLevel::kDistrict, 10, 25, 501},
      {false, RegionLevel::kCity, 1, 0, 0},  // the city sees everything
      {true, RegionLevel::kGrid, 10003, 0, 0},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("visibility case " + std::to_string(i));
    EventQuery q;
    q.visibility = cases[i];
    this->ExpectLists(events, q, 5);
    q.source = EventSource::kGridApp;
    this->ExpectLists(events, q, 5);
  }
  EventQuery nothing;  // no criterion: nothing is visible
  auto page = this->store().ListEvents(nothing);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->items.empty());
  EXPECT_FALSE(page->has_more);
}

TYPED_TEST_P(StoreContractTest, KeysetPaginationWalksEveryRowOnce) {
  const std::vector<Event> events = this->Insert(ListData(101));
  for (int size : {1, 2, 10, 100, 101, 500}) {
    SCOPED_TRACE(size);
    const std::vector<EventId> ids = this->ListAll(All(), size);
    ASSERT_EQ(ids.size(), events.size());
    EXPECT_EQ(std::set<EventId>(ids.begin(), ids.end()).size(), events.size());
  }
  EventQuery q = All();
  q.limit = 101;
  auto page = this->store().ListEvents(q);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->items.size(), 101u);
  EXPECT_FALSE(page->has_more);
  q.limit = 100;
  page = this->store().ListEvents(q);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->has_more);
}

TYPED_TEST_P(StoreContractTest, CategoryIsACodeOrAClassPrefix) {
  std::vector<Event> events;
  const char* codes[] = {"01", "0101", "010203", "0102", "02", "0201", "011"};
  for (int i = 0; i < 7; ++i) {
    Event e = SampleEvent(i, kBase + i);
    e.category = codes[i];
    events.push_back(e);
  }
  events = this->Insert(events);
  const auto ids_of = [&](std::initializer_list<int> idx) {
    std::vector<EventId> ids;
    for (int i : idx) ids.push_back(events[static_cast<std::size_t>(i)].id);
    std::sort(ids.rbegin(), ids.rend());
    return ids;
  };
  EventQuery q = All();
  q.category = "01";
  EXPECT_EQ(this->ListAll(q, 2), ids_of({0, 1, 2, 3, 6}));
  q.category = "0101";
  EXPECT_EQ(this->ListAll(q, 2), ids_of({1}));
  q.category = "0102";
  EXPECT_EQ(this->ListAll(q, 2), ids_of({2, 3}));
  q.category = "010203";
  EXPECT_EQ(this->ListAll(q, 2), ids_of({2}));
  q.category = "02";
  EXPECT_EQ(this->ListAll(q, 2), ids_of({4, 5}));
  q.category = "03";
  EXPECT_TRUE(this->ListAll(q, 2).empty());
}

TYPED_TEST_P(StoreContractTest, OverdueMeansOpenWithADeadlineBeforeNow) {
  const TimeMs now = kBase + 100 * kMinute;
  struct Case {
    EventStatus status;
    std::optional<TimeMs> deadline;
    bool overdue;
  };
  const std::vector<Case> cases = {
      {EventStatus::kReported, now - 1, true},    {EventStatus::kAccepted, now - 1000, true},
      {EventStatus::kDispatched, now - 1, true},  {EventStatus::kInProgress, now - 1, true},
      {EventStatus::kHandled, now - 1, true},     {EventStatus::kInProgress, now, false},
      {EventStatus::kInProgress, now + 1, false}, {EventStatus::kInProgress, std::nullopt, false},
      {EventStatus::kClosed, now - 1, false},     {EventStatus::kEvaluated, now - 1, false},
      {EventStatus::kRejected, now - 1, false},   {EventStatus::kMerged, now - 1, false},
  };
  std::vector<Event> events;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    Event e = SampleEvent(static_cast<int>(i), kBase);
    e.status = cases[i].status;
    e.deadline = cases[i].deadline;
    events.push_back(e);
  }
  events = this->Insert(events);
  std::vector<EventId> overdue, on_time;
  for (std::size_t i = cases.size(); i-- > 0;) {
    (cases[i].overdue ? overdue : on_time).push_back(events[i].id);
  }
  EventQuery q = All();
  q.now = now;
  q.overdue = true;
  EXPECT_EQ(this->ListAll(q, 3), overdue);
  q.overdue = false;
  EXPECT_EQ(this->ListAll(q, 3), on_time);
}

TYPED_TEST_P(StoreContractTest, ChineseTextIsSearchableBySubstring) {
  std::vector<Event> events(5);
  events[0] = SampleEvent(0, kBase);
  events[0].title = "小区东门井盖缺失";
  events[0].description = "请尽快处理";
  events[1] = SampleEvent(1, kBase);
  events[1].title = "Manhole cover missing";
  events[1].description = "near the EAST Gate of Block 3";
  events[2] = SampleEvent(2, kBase);
  events[2].title = "路灯不亮";
  events[2].description = "3号楼前的路灯坏了，晚上很黑。";
  events[3] = SampleEvent(3, kBase);
  events[3].title = "噪音扰民";
  events[3].description = "夜间施工，井下作业";
  events[4] = SampleEvent(4, kBase);
  events[4].title = "Ｗｉｆｉ信号差";  // fullwidth letters
  events[4].description = "";
  events = this->Insert(events);
  const auto ids = [&](std::initializer_list<int> idx) {
    std::vector<EventId> out;
    for (int i : idx) out.push_back(events[static_cast<std::size_t>(i)].id);
    std::sort(out.rbegin(), out.rend());
    return out;
  };
  const std::vector<std::pair<std::string, std::vector<EventId>>> cases = {
      {"井盖", ids({0})},
      {"井盖缺失", ids({0})},
      {"盖缺", ids({0})},
      {"门井", ids({0})},  // a bigram across two words
      {"小区东门井盖缺失", ids({0})},
      {"井缺", {}},  // not a substring
      {"缺失井盖", {}},
      {"缺失 井盖", ids({0})},  // two words, each must appear
      {"井盖 路灯", {}},
      {"东", ids({0})},  // one character: substring fallback
      {"井", ids({0, 3})},
      {"灯", ids({2})},
      {"处理", ids({0})},  // in the description
      {"路灯坏了", ids({2})},
      {"3号楼", ids({2})},
      {"manhole", ids({1})},
      {"MANHOLE", ids({1})},
      {"east gate", ids({1})},
      {"Mission", {}},
      {"missing", ids({1})},
      {"miss", {}},  // words match whole
      {"block 3", ids({1})},
      {"wifi", ids({4})},
      {"ＷＩＦＩ信号", ids({4})},
      {"晚上很黑", ids({2})},
      {"，晚上", ids({2})},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    EXPECT_EQ(this->Search(text), expected);
  }
}

TYPED_TEST_P(StoreContractTest, SearchSyntaxInTheQueryNeverFails) {
  Event e = SampleEvent(0, kBase);
  e.title = "井盖 AND OR NOT NEAR";
  e.description = "x\"y";
  this->Insert({e});
  for (const char* text : {"\"",         "AND (",    "(",      ")",
                           "*",          "井盖\"",   "\"井盖", "NEAR(井盖 缺失)",
                           "title:井盖", "-井盖",    "^井盖",  "井盖*",
                           "{井盖}",     "井盖 OR",  "OR",     "NOT",
                           "'",          "%",        "_",      "\\",
                           "x\"y",       "+",        ":",      "井盖 AND 缺失",
                           "\x01",       "\xff\xfe", "   ",    "。，、"}) {
    SCOPED_TRACE(text);
    EventQuery q = All();
    q.text = text;
    auto page = this->store().ListEvents(q);
    EXPECT_TRUE(page) << page.error().message;
  }
  EXPECT_EQ(this->Search("井盖*").size(), 1u);
  EXPECT_EQ(this->Search("\"井盖\"").size(), 1u);
  EXPECT_EQ(this->Search("and").size(), 1u);
  EXPECT_TRUE(this->Search("%").empty());
}

TYPED_TEST_P(StoreContractTest, SearchCombinesWithFiltersAndPages) {
  std::vector<Event> events = ListData(60);
  for (std::size_t i = 0; i < events.size(); ++i) {
    events[i].title = i % 3 == 0 ? "井盖缺失" : "路面破损";
    events[i].description = i % 2 == 0 ? "东门" : "西门";
  }
  events = this->Insert(events);
  EventQuery q = All();
  q.statuses = {EventStatus::kReported, EventStatus::kClosed, EventStatus::kHandled};
  q.visibility = Visibility{false, RegionLevel::kStreet, 100, 22, 0};
  q.category = "01";
  q.text = "井盖 东门";
  std::vector<EventId> expected;
  for (const Event& e : events) {
    if (Matches(q, e) && e.title == "井盖缺失" && e.description == "东门") expected.push_back(e.id);
  }
  std::sort(expected.rbegin(), expected.rend());
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(this->ListAll(q, 1), expected);
  q.text = "井";
  expected.clear();
  for (const Event& e : events) {
    if (Matches(q, e) && e.title == "井盖缺失") expected.push_back(e.id);
  }
  std::sort(expected.rbegin(), expected.rend());
  EXPECT_EQ(this->ListAll(q, 2), expected);
}

TYPED_TEST_P(StoreContractTest, ReadsRunConcurrentlyWithWrites) {
  this->Insert(ListData(50));
  Store& store = this->store();
  std::atomic<bool> stop{false};
  std::atomic<int> read_errors{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 8; ++t) {
    readers.emplace_back([&, t] {
      while (!stop) {
        EventQuery q = All();
        q.limit = 20;
        if (t % 2 == 0) q.text = "事件";
        auto page = store.ListEvents(q);
        if (!page || page->items.empty()) read_errors.fetch_add(1);
        if (page && !page->items.empty() && !store.FindEvent(page->items[0].id)) {
          read_errors.fetch_add(1);
        }
      }
    });
  }
  for (int i = 0; i < 500; ++i) {
    store.Submit(
        [i](WriteTx& tx) -> Status {
          Event e = SampleEvent(1000 + i, kBase);
          return tx.InsertEvent(e);
        },
        nullptr);
  }
  store.Drain();
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(read_errors.load(), 0);
  EXPECT_EQ(this->ListAll(All(), 500).size(), 550u);
}

TYPED_TEST_P(StoreContractTest, OpenEventsNearAreOpenOfTheCategoryInTheBoxSinceATime) {
  // A 0.002° box around (123.5, 41.9) and events in, on the edge of and outside it.
  const auto at = [](int n, std::string category, double lon, double lat, EventStatus status,
                     TimeMs created) {
    Event e = SampleEvent(n, created);
    e.category = std::move(category);
    e.lon = lon;
    e.lat = lat;
    e.status = status;
    return e;
  };
  std::vector<Event> events = this->Insert({
      at(1, "0101", 123.5, 41.9, EventStatus::kReported, kBase),             // in
      at(2, "0101", 123.501, 41.901, EventStatus::kInProgress, kBase + 10),  // on the corner
      at(3, "0101", 123.5, 41.9, EventStatus::kClosed, kBase),               // closed
      at(4, "0102", 123.5, 41.9, EventStatus::kReported, kBase),             // other category
      at(5, "0101", 123.5, 41.905, EventStatus::kReported, kBase),           // north of the box
      at(6, "0101", 123.505, 41.9, EventStatus::kReported, kBase),           // east of the box
      at(7, "0101", 123.5, 41.9, EventStatus::kHandled, kBase - 1'000),      // too old
  });
  const auto near = [&](TimeMs since, int limit) {
    std::vector<EventId> ids;
    EXPECT_TRUE(Write(this->store(), [&](WriteTx& tx) -> Status {
                  auto found =
                      tx.FindOpenEventsNear("0101", 123.499, 41.899, 123.501, 41.901, since, limit);
                  if (!found) return found.error();
                  for (const Event& e : *found) ids.push_back(e.id);
                  return Status::Ok();
                }).ok());
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  EXPECT_EQ(near(kBase - 10, 10), (std::vector<EventId>{events[0].id, events[1].id}));
  EXPECT_EQ(near(kBase - 10, 1).size(), 1u);
  // Closing an event takes it out; reopening brings it back.
  Event closed = events[1];
  closed.status = EventStatus::kClosed;
  ASSERT_TRUE(Write(this->store(), [&](WriteTx& tx) { return tx.UpdateEvent(closed); }).ok());
  EXPECT_EQ(near(kBase - 10, 10), (std::vector<EventId>{events[0].id}));
  Event reopened = events[2];
  reopened.status = EventStatus::kInProgress;
  ASSERT_TRUE(Write(this->store(), [&](WriteTx& tx) { return tx.UpdateEvent(reopened); }).ok());
  EXPECT_EQ(near(kBase - 10, 10), (std::vector<EventId>{events[0].id, events[2].id}));
  EXPECT_EQ(near(kBase - 2'000, 10),
            (std::vector<EventId>{events[0].id, events[2].id, events[6].id}));
}

REGISTER_TYPED_TEST_SUITE_P(
    StoreContractTest, EventRoundTripsEveryField, MissingEventsAreAbsentOrNotFound,
    AlarmTypesStartWithTheDefaultsAndArePutByType, EventIdsAreFreshAndNeverReusedAfterARefusal,
    UniqueKeysAreAlreadyExists, HistoryIsOrderedBySeqAndScannable,
    IdempotencyKeysAreLookedUpPerUser, DailySequencesCountPerDay, DailySequencesAreReservedInRuns,
    ReferenceDataRoundTrips, SessionsAreStoredFoundAndDeleted, GroupCommitOfManyConcurrentUnits,
    AFailingUnitChangesNothingAndItsBatchMatesCommit, DrainWaitsForEveryUnitSubmitted,
    ListEventsAppliesEachFilter, TimeRangesAreExactWhateverTheOrderOfCreation,
    VisibilityCriteriaAreOred, KeysetPaginationWalksEveryRowOnce, CategoryIsACodeOrAClassPrefix,
    OverdueMeansOpenWithADeadlineBeforeNow, ChineseTextIsSearchableBySubstring,
    SearchSyntaxInTheQueryNeverFails, SearchCombinesWithFiltersAndPages,
    ReadsRunConcurrentlyWithWrites, OpenEventsNearAreOpenOfTheCategoryInTheBoxSinceATime);

struct FactoryName {
  template <typename T>
  static std::string GetName(int) {
    return T::kName;
  }
};
using Factories = ::testing::Types<SqliteFactory, SqliteReplayFactory>;
INSTANTIATE_TYPED_TEST_SUITE_P(Store, StoreContractTest, Factories, FactoryName);

}  // namespace
}  // namespace civicgrid::store_test
