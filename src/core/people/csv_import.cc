#include "core/people/csv_import.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

#include "core/audit/audit_record.h"
#include "core/common/csv.h"
#include "core/common/text.h"
#include "core/events/event_service.h"
#include "core/events/history_chain.h"
#include "core/people/base_data_audit.h"
#include "core/people/id_number.h"
#include "core/ports/cipher.h"
#include "core/ports/clock.h"
#include "core/ports/crypto.h"
#include "core/routing/reference_data.h"
#include "core/territory/region_path_scope.h"

namespace civicgrid {

namespace {

const std::vector<std::string> kHouseholdColumns = {"grid_code", "number", "address", "head_name",
                                                    "phone"};
const std::vector<std::string> kResidentColumns = {
    "grid_code", "household_id", "name", "id_number", "type", "phone", "arrived_at"};
const std::vector<std::string> kPlaceColumns = {"kind", "name",    "address", "lon",
                                                "lat",  "contact", "phone",   "risk_level"};
const std::vector<std::string> kRequired[] = {{"grid_code", "address"},
                                              {"grid_code", "name", "id_number", "type"},
                                              {"kind", "name", "lon", "lat"}};

// A row problem: column and reason.
struct RowError {
  std::string column;
  std::string reason;
  std::string message;
};

RowError FromError(const Error& e, std::string column) {
  return {e.field.empty() ? std::move(column) : e.field, e.reason, e.message};
}

bool IsPhoneLike(std::string_view phone) {
  if (phone.size() > 20) return false;
  for (char c : phone) {
    if (!((c >= '0' && c <= '9') || c == '+' || c == '-' || c == ' ')) return false;
  }
  return true;
}

std::optional<double> ParseDouble(const std::string& s) {
  if (s.empty() || s.size() > 40) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || errno != 0) return std::nullopt;
  return v;
}

std::optional<std::int64_t> ParseInt(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// The appending end of the audit chain within one unit: one LastAudit read, then links made here
// (the same as AppendAuditRecord, without a read per row).
class AuditTail {
 public:
  AuditTail(WriteTx& tx, const Crypto& crypto) : tx_(tx), crypto_(crypto) {}
  Status Append(AuditRecord r) {
    if (!started_) {
      auto tail = tx_.LastAudit();
      if (!tail) return tail.error();
      seq_ = tail->seq;
      hash_ = tail->seq == 0 ? GenesisHash() : tail->hash;
      started_ = true;
    }
    r.seq = seq_ + 1;
    r.prev_hash = hash_;
    r.hash = AuditRowHash(crypto_, r);
    if (Status s = tx_.AppendAudit(r); !s) return s;
    seq_ = r.seq;
    hash_ = r.hash;
    return Status::Ok();
  }

 private:
  WriteTx& tx_;
  const Crypto& crypto_;
  bool started_ = false;
  std::int64_t seq_ = 0;
  std::string hash_;
};

}  // namespace

std::optional<CsvKind> CsvKindFromName(std::string_view name) {
  if (name == "households") return CsvKind::kHouseholds;
  if (name == "residents") return CsvKind::kResidents;
  if (name == "places") return CsvKind::kPlaces;
  return std::nullopt;
}

const std::vector<std::string>& CsvColumns(CsvKind kind) {
  switch (kind) {
    case CsvKind::kHouseholds: return kHouseholdColumns;
    case CsvKind::kResidents: return kResidentColumns;
    case CsvKind::kPlaces: return kPlaceColumns;
  }
  return kResidentColumns;
}

BaseDataCsv::BaseDataCsv(Store& store, const Clock& clock, const Crypto& crypto,
                         const Cipher& cipher, ReferenceSource reference)
    : store_(store),
      clock_(clock),
      crypto_(crypto),
      cipher_(cipher),
      reference_(std::move(reference)) {}

void BaseDataCsv::Import(const Actor& actor, CsvKind kind, std::string csv, bool skip_bad_rows,
                         ImportDone done) {
  if (!MayWriteBaseData(actor)) {
    return done(Fail(ErrorCode::kPermissionDenied, "your role may not import base data"));
  }
  if (!IsValidUtf8(csv)) {
    return done(
        Fail(ErrorCode::kInvalidArgument, "the CSV file is not UTF-8", "file", "invalid_utf8"));
  }
  // The header: every column known, the required ones present.
  auto text = std::make_shared<const std::string>(std::move(csv));
  CsvReader header_reader(*text);
  std::vector<std::string> header;
  bool malformed = false;
  if (!header_reader.Next(header, malformed) || malformed) {
    return done(Fail(ErrorCode::kInvalidArgument, "the CSV file has no header row", "file",
                     "missing_header"));
  }
  const auto& columns = CsvColumns(kind);
  std::unordered_map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string name(Trim(header[i]));
    bool known = false;
    for (const auto& c : columns) known |= c == name;
    if (!known) {
      return done(Fail(ErrorCode::kInvalidArgument,
                       "unknown column \"" + name + "\" in the header (row 1)", name,
                       "unknown_column"));
    }
    at[name] = i;
  }
  for (const auto& required : kRequired[static_cast<int>(kind)]) {
    if (at.count(required) == 0) {
      return done(Fail(ErrorCode::kInvalidArgument,
                       "the header (row 1) lacks the column \"" + required + "\"", required,
                       "missing_column"));
    }
  }

  auto ref = reference_();
  const RegionFilter scope = ScopeOf(actor, ref->territory());
  const TimeMs now = clock_.Now();
  auto report = std::make_shared<CsvImportReport>();
  const Crypto& crypto = crypto_;
  const Cipher& cipher = cipher_;
  store_.Submit(
      [=, &crypto, &cipher](WriteTx& tx) -> Status {
        *report = CsvImportReport{};
        const Territory& territory = ref->territory();
        AuditTail audit(tx, crypto);
        CsvReader reader(*text);
        std::vector<std::string> fields;
        bool bad_quotes = false;
        reader.Next(fields, bad_quotes);  // the header
        std::size_t row = 1;
        auto get = [&](const char* column) -> std::string {
          auto it = at.find(column);
          if (it == at.end() || it->second >= fields.size()) return {};
          return std::string(Trim(fields[it->second]));
        };
        auto path_of_grid = [&](const std::string& code) -> Result<RegionPath> {
          const Region* grid = territory.FindByCode(code);
          if (grid == nullptr || grid->level != RegionLevel::kGrid ||
              !scope.Covers(territory.PathOf(grid->id))) {
            return Fail(ErrorCode::kNotFound, "no grid with code \"" + code + "\" in your scope",
                        "grid_code", "unknown_grid");
          }
          return territory.PathOf(grid->id);
        };
        while (reader.Next(fields, bad_quotes)) {
          ++row;
          ++report->rows;
          std::optional<RowError> problem;
          if (bad_quotes) problem = RowError{"", "malformed_csv", "a quoted field is not closed"};
          if (!problem && fields.size() > header.size()) {
            problem = RowError{"", "too_many_fields", "the row has more fields than the header"};
          }
          for (const auto& required : kRequired[static_cast<int>(kind)]) {
            if (!problem && get(required.c_str()).empty()) {
              problem = RowError{required, "missing_field", required + " is required"};
            }
          }
          std::string object_id;
          std::string after;
          std::string action;
          if (!problem && kind == CsvKind::kResidents) {
            auto path = path_of_grid(get("grid_code"));
            auto id = ValidateIdNumber(get("id_number"));
            auto type = ResidentTypeFromName(get("type"));
            const std::string name = get("name");
            const std::string phone = get("phone");
            const std::string arrived = get("arrived_at");
            const std::string household = get("household_id");
            std::optional<TimeMs> arrived_at;
            if (!path) {
              problem = FromError(path.error(), "grid_code");
            } else if (!id) {
              problem = FromError(id.error(), "id_number");
            } else if (!type) {
              problem = RowError{"type", "unknown_type",
                                 "type must be registered, floating, overseas, left_behind, "
                                 "empty_nest or special_care (or 户籍, 流动, ...)"};
            } else if (Utf8Length(name) > 50) {
              problem = RowError{"name", "too_long", "name is longer than 50 characters"};
            } else if (!IsPhoneLike(phone)) {
              problem =
                  RowError{"phone", "invalid_phone", "phone may hold digits, +, - and spaces"};
            } else if (!household.empty() && !ParseInt(household)) {
              problem = RowError{"household_id", "invalid_id", "household_id must be a number"};
            } else if (!arrived.empty() && !(arrived_at = ParseIso(arrived))) {
              problem = RowError{"arrived_at", "invalid_time", "arrived_at must be ISO 8601"};
            } else {
              Resident r;
              r.household_id = household.empty() ? 0 : *ParseInt(household);
              r.path = *path;
              r.name = name;
              const std::string& number = *id;
              r.gender = ((number[16] - '0') % 2 == 1) ? "male" : "female";
              r.birth_date =
                  number.substr(6, 4) + "-" + number.substr(10, 2) + "-" + number.substr(12, 2);
              r.id_sealed = cipher.Seal(number);
              r.id_blind = cipher.BlindIndex(number);
              r.id_masked = MaskIdNumber(number);
              r.type = *type;
              r.phone = phone;
              if (*type == ResidentType::kFloating || *type == ResidentType::kOverseas) {
                r.arrived_at = arrived_at.value_or(now);
              }
              r.created_at = now;
              r.updated_at = now;
              if (Status s = tx.InsertResident(r); !s) {
                if (s.error().code != ErrorCode::kAlreadyExists) return s;
                problem = RowError{"id_number", "duplicate_id_number",
                                   "a resident with this ID number is registered"};
              } else {
                if (r.arrived_at) {
                  ResidentMove m{0,
                                 r.id,
                                 "arrive",
                                 *r.arrived_at,
                                 r.path.grid_id,
                                 actor.user_id,
                                 "人来登记 (CSV)"};
                  if (Status moved = tx.InsertResidentMove(m); !moved) return moved;
                }
                object_id = std::to_string(r.id);
                action = "resident.create";
                after = ResidentJson(r);
              }
            }
          } else if (!problem && kind == CsvKind::kHouseholds) {
            auto path = path_of_grid(get("grid_code"));
            const std::string phone = get("phone");
            if (!path) {
              problem = FromError(path.error(), "grid_code");
            } else if (Utf8Length(get("address")) > 300) {
              problem = RowError{"address", "too_long", "address is longer than 300 characters"};
            } else if (!IsPhoneLike(phone)) {
              problem =
                  RowError{"phone", "invalid_phone", "phone may hold digits, +, - and spaces"};
            } else {
              Household h;
              h.path = *path;
              h.number = get("number");
              h.address = get("address");
              h.head_name = get("head_name");
              h.phone = phone;
              h.created_at = now;
              h.updated_at = now;
              if (Status s = tx.InsertHousehold(h); !s) return s;
              object_id = std::to_string(h.id);
              action = "household.create";
              after = HouseholdJson(h);
            }
          } else if (!problem && kind == CsvKind::kPlaces) {
            auto place_kind = PlaceKindFromName(get("kind"));
            auto lon = ParseDouble(get("lon"));
            auto lat = ParseDouble(get("lat"));
            const std::string risk = get("risk_level");
            auto risk_level = risk.empty() ? std::optional<std::int64_t>(0) : ParseInt(risk);
            const std::string phone = get("phone");
            const Region* grid = nullptr;
            if (!place_kind) {
              problem =
                  RowError{"kind", "unknown_kind",
                           "kind must be enterprise, shop, school, rental_house or risk_source"};
            } else if (!lon || !IsValidLonLat(*lon, 0)) {
              problem = RowError{"lon", "invalid_location", "lon must be a number in [-180, 180]"};
            } else if (!lat || !IsValidLonLat(0, *lat)) {
              problem = RowError{"lat", "invalid_location", "lat must be a number in [-90, 90]"};
            } else if (!risk_level || *risk_level > 3) {
              problem = RowError{"risk_level", "invalid_risk_level", "risk_level must be 0 to 3"};
            } else if (!IsPhoneLike(phone)) {
              problem =
                  RowError{"phone", "invalid_phone", "phone may hold digits, +, - and spaces"};
            } else if ((grid = territory.LocateGrid(*lon, *lat)) == nullptr ||
                       !scope.Covers(territory.PathOf(grid->id))) {
              problem = RowError{"lon", "outside_grids", "the point lies in no grid of your scope"};
            } else {
              Place p;
              p.kind = *place_kind;
              p.name = get("name");
              p.address = get("address");
              p.lon = *lon;
              p.lat = *lat;
              p.path = territory.PathOf(grid->id);
              p.contact = get("contact");
              p.phone = phone;
              p.risk_level = static_cast<int>(*risk_level);
              p.created_at = now;
              p.updated_at = now;
              if (Status s = tx.InsertPlace(p); !s) return s;
              object_id = std::to_string(p.id);
              action = "place.create";
              after = PlaceJson(p);
            }
          }
          if (problem) {
            ++report->error_count;
            if (report->errors.size() < kMaxReportedErrors) {
              report->errors.push_back({row, problem->column, problem->reason, problem->message});
            }
            continue;
          }
          AuditRecord a =
              AuditOf(actor, now, action, action.substr(0, action.find('.')), object_id);
          a.after = std::move(after);
          if (Status s = audit.Append(std::move(a)); !s) return s;
          ++report->imported;
        }
        if (report->error_count > 0 && !skip_bad_rows) {
          // Nothing of the file stays: the unit fails and its writes roll back.
          return Fail(ErrorCode::kInvalidArgument, "the file has bad rows; nothing was imported",
                      "file", "bad_rows");
        }
        report->skipped = report->error_count;
        return Status::Ok();
      },
      [report, done = std::move(done)](Status s) {
        if (!s && s.error().reason != "bad_rows") return done(s.error());
        report->committed = s.ok();
        if (!s.ok()) report->imported = 0;
        done(std::move(*report));
      });
}

namespace {
// The export masks phone numbers as it masks ID numbers (column protection, issue 4).
std::string MaskedPhone(const std::string& phone) { return phone.empty() ? "" : MaskPhone(phone); }
}  // namespace

Result<std::string> BaseDataCsv::Export(const Actor& actor, CsvKind kind, RegionId region_id) {
  if (!MayReadBaseData(actor)) {
    return Fail(ErrorCode::kPermissionDenied, "your role may not read the grids' base data");
  }
  auto ref = reference_();
  const Territory& territory = ref->territory();
  auto scope = Narrow(ScopeOf(actor, territory), territory, region_id);
  if (!scope) return Fail(ErrorCode::kNotFound, "no such region", "region_id", "not_found");
  std::string out;
  AppendCsvRecord(out, CsvColumns(kind));
  BaseDataQuery q;
  q.scope = *scope;
  q.limit = 500;
  auto code_of = [&](RegionId id) {
    const Region* r = territory.Find(id);
    return r == nullptr ? std::string() : r->code;
  };
  for (;;) {
    std::size_t page = 0;
    std::int64_t last = 0;
    if (kind == CsvKind::kResidents) {
      auto rows = store_.ListResidents(q);
      if (!rows) return rows.error();
      for (const Resident& r : *rows) {
        AppendCsvRecord(
            out,
            {code_of(r.path.grid_id), r.household_id == 0 ? "" : std::to_string(r.household_id),
             r.name, r.id_masked, std::string(ResidentTypeName(r.type)), MaskedPhone(r.phone),
             r.arrived_at ? FormatIsoShanghai(*r.arrived_at) : ""});
        last = r.id;
      }
      page = rows->size();
    } else if (kind == CsvKind::kHouseholds) {
      auto rows = store_.ListHouseholds(q);
      if (!rows) return rows.error();
      for (const Household& h : *rows) {
        AppendCsvRecord(
            out, {code_of(h.path.grid_id), h.number, h.address, h.head_name, MaskedPhone(h.phone)});
        last = h.id;
      }
      page = rows->size();
    } else {
      auto rows = store_.ListPlaces(q);
      if (!rows) return rows.error();
      for (const Place& p : *rows) {
        char lon[32], lat[32];
        std::snprintf(lon, sizeof lon, "%.6f", p.lon);
        std::snprintf(lat, sizeof lat, "%.6f", p.lat);
        AppendCsvRecord(out, {std::string(PlaceKindName(p.kind)), p.name, p.address, lon, lat,
                              p.contact, MaskedPhone(p.phone), std::to_string(p.risk_level)});
        last = p.id;
      }
      page = rows->size();
    }
    if (page < static_cast<std::size_t>(q.limit)) break;
    q.before_id = last;
  }
  return out;
}

}  // namespace civicgrid
