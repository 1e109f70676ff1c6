#include "app/demo/demo_people.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "app/demo/demo_random.h"
#include "app/demo/demo_text.h"
#include "core/audit/audit_record.h"
#include "core/people/base_data.h"
#include "core/people/id_number.h"
#include "core/ports/cipher.h"
#include "core/ports/store.h"
#include "core/routing/reference_data.h"

namespace civicgrid {

namespace {

struct GridData {
  std::vector<Household> households;
  std::vector<std::vector<Resident>> residents;  // per household
  std::vector<Place> places;
  std::vector<std::pair<std::size_t, std::size_t>> key_person_of;  // (household, resident)
  std::vector<KeyPerson> key_persons;
  std::vector<std::vector<KeyPersonVisit>> visits;
  std::vector<PatrolCheckIn> patrols;
  std::vector<PatrolLog> logs;
};

constexpr std::string_view kRoads[] = {"和平路",   "中华路", "南京街",   "太原街", "民主路",
                                       "北二马路", "昆明街", "胜利大街", "长白路", "三好街"};
constexpr std::string_view kShops[] = {"便利店", "超市",   "理发店", "药房",
                                       "面馆",   "水果店", "五金店", "饺子馆"};
constexpr std::string_view kCategories[] = {"community_correction", "drug_rehab", "mental_illness",
                                            "petitioner", "released_prisoner"};
constexpr std::string_view kLevels[] = {"care", "attention", "control"};
constexpr std::string_view kLogs[] = {
    "走访辖区商户，检查消防通道，未发现异常。", "入户走访独居老人，身体状况良好。",
    "巡查小区，发现楼道堆物一处，已督促清理。", "登记新入住租户两户，信息已核实。",
    "排查电动车楼道充电，劝导三户。",           "协助社区开展反诈宣传。"};

ResidentType PickType(DemoRng& rng) {
  const int r = rng.Int(1, 100);
  if (r <= 80) return ResidentType::kRegistered;
  if (r <= 91) return ResidentType::kFloating;
  if (r <= 94) return ResidentType::kLeftBehind;
  if (r <= 97) return ResidentType::kEmptyNest;
  if (r <= 99) return ResidentType::kOverseas;
  return ResidentType::kSpecialCare;
}

std::string UniqueIdNumber(DemoRng& rng, std::unordered_set<std::string>& used, int age_lo,
                           int age_hi, TimeMs now) {
  const std::int64_t today = now / kMsPerDay;
  for (;;) {
    const CivilDate birth = CivilFromDays(today - rng.Int(age_lo * 365, age_hi * 365));
    char first17[18];
    std::snprintf(first17, sizeof first17, "210102%04d%02d%02d%03d", birth.year, birth.month,
                  birth.day, rng.Int(0, 999));
    std::string id = std::string(first17) + IdNumberCheckDigit(first17);
    if (used.insert(id).second) return id;
  }
}

// A random point inside the grid (rejection sampling in its bounding box).
GeoPoint PointIn(const Territory& territory, const Region& grid, DemoRng& rng) {
  double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
  for (const auto& p : grid.polygon.rings.front()) {
    x0 = std::min(x0, p.lon);
    y0 = std::min(y0, p.lat);
    x1 = std::max(x1, p.lon);
    y1 = std::max(y1, p.lat);
  }
  for (int i = 0; i < 200; ++i) {
    GeoPoint p{rng.Uniform(x0, x1), rng.Uniform(y0, y1)};
    const Region* at = territory.LocateGrid(p.lon, p.lat);
    if (at != nullptr && at->id == grid.id) return p;
  }
  return grid.polygon.rings.front().front();
}

}  // namespace

Result<DemoPeopleSummary> GenerateDemoPeople(Store& store,
                                             const Crypto& /*crypto: audited by the caller*/,
                                             const Cipher& cipher, const ReferenceData& reference,
                                             const DemoPeopleOptions& options) {
  DemoPeopleSummary summary;
  if (options.households_per_grid == 0) return summary;
  const Territory& territory = reference.territory();
  auto workers = store.ListUsersWithRole(Role::kGridWorker);
  if (!workers) return workers.error();
  std::unordered_map<RegionId, std::vector<UserId>> workers_of;
  for (const User& u : *workers) workers_of[u.region_id].push_back(u.id);
  std::vector<const Region*> grids;
  for (const Region& r : territory.regions()) {
    if (r.level == RegionLevel::kGrid && !r.polygon.rings.empty()) grids.push_back(&r);
  }
  std::unordered_set<std::string> used_ids;
  const TimeMs now = options.now;
  const TimeMs today = now - (now + kShanghaiOffsetMs) % kMsPerDay;  // Shanghai midnight
  auto failure = std::make_shared<std::optional<Error>>();
  auto failure_mu = std::make_shared<std::mutex>();

  for (std::size_t g = 0; g < grids.size(); ++g) {
    const Region& grid = *grids[g];
    DemoRng rng(options.seed, 1000 + grid.id);
    const RegionPath path = territory.PathOf(grid.id);
    auto data = std::make_shared<GridData>();
    const int households =
        options.households_per_grid > 0 ? options.households_per_grid : rng.Int(300, 600);
    const std::string_view road = kRoads[g % std::size(kRoads)];
    const int building_base = static_cast<int>(g % 50) * 10;
    for (int h = 0; h < households; ++h) {
      Household hh;
      hh.path = path;
      hh.number = grid.code.substr(grid.code.size() - 6) + std::to_string(10000 + h);
      hh.address = std::string(road) + std::to_string(building_base + h / 40 + 1) + "号" +
                   std::to_string(h / 12 % 4 + 1) + "单元" + std::to_string(h % 12 / 2 + 1) + "0" +
                   std::to_string(h % 2 + 1) + "室";
      hh.created_at = now;
      hh.updated_at = now;
      std::vector<Resident> members;
      const int size = rng.Int(1, 4);
      for (int m = 0; m < size; ++m) {
        Resident r;
        r.path = path;
        r.name = DemoPersonName(rng);
        const std::string id = UniqueIdNumber(rng, used_ids, m < 2 ? 25 : 3, m < 2 ? 85 : 20, now);
        r.gender = ((id[16] - '0') % 2 == 1) ? "male" : "female";
        r.birth_date = id.substr(6, 4) + "-" + id.substr(10, 2) + "-" + id.substr(12, 2);
        r.id_sealed = cipher.Seal(id);
        r.id_blind = cipher.BlindIndex(id);
        r.id_masked = MaskIdNumber(id);
        r.type = PickType(rng);
        r.phone = m == 0 ? DemoMobile(rng) : "";
        if (r.type == ResidentType::kFloating || r.type == ResidentType::kOverseas) {
          r.arrived_at = now - rng.Int64(1, 700) * kMsPerDay;
          if (rng.Int(1, 5) == 1) {
            r.status = ResidentStatus::kDeparted;
            r.departed_at =
                *r.arrived_at + rng.Int64(1, (now - *r.arrived_at) / kMsPerDay) * kMsPerDay;
          }
        }
        r.created_at = now;
        r.updated_at = now;
        if (m == 0) {
          hh.head_name = r.name;
          hh.phone = r.phone;
        }
        members.push_back(std::move(r));
      }
      data->households.push_back(std::move(hh));
      data->residents.push_back(std::move(members));
    }
    const int places = rng.Int(6, 14);
    for (int p = 0; p < places; ++p) {
      Place pl;
      const int kind = rng.Int(0, 9);
      pl.kind = kind < 5   ? PlaceKind::kShop
                : kind < 7 ? PlaceKind::kRentalHouse
                : kind < 8 ? PlaceKind::kEnterprise
                : kind < 9 ? PlaceKind::kSchool
                           : PlaceKind::kRiskSource;
      const GeoPoint at = PointIn(territory, grid, rng);
      pl.lon = at.lon;
      pl.lat = at.lat;
      pl.path = path;
      switch (pl.kind) {
        case PlaceKind::kShop: pl.name = std::string(kShops[rng.Below(std::size(kShops))]); break;
        case PlaceKind::kRentalHouse: pl.name = "出租屋"; break;
        case PlaceKind::kEnterprise: pl.name = grid.name + "商贸有限公司"; break;
        case PlaceKind::kSchool: pl.name = std::string(road) + "小学"; break;
        case PlaceKind::kRiskSource:
          pl.name = rng.Int(0, 1) == 0 ? "加油站" : "燃气调压站";
          pl.risk_level = rng.Int(1, 3);
          break;
      }
      pl.address = std::string(road) + std::to_string(building_base + p + 1) + "号";
      pl.contact = DemoPersonName(rng);
      pl.phone = DemoMobile(rng);
      pl.created_at = now;
      pl.updated_at = now;
      data->places.push_back(std::move(pl));
    }
    const auto& grid_workers = workers_of[grid.id];
    if (!grid_workers.empty()) {
      const UserId worker = grid_workers.front();
      const int key = rng.Int(2, 5);
      for (int k = 0; k < key && households > 0; ++k) {
        const std::size_t h = rng.Below(static_cast<std::uint32_t>(households));
        bool taken = false;
        for (const auto& kp : data->key_person_of) taken |= kp.first == h;
        if (taken) continue;
        KeyPerson kp;
        kp.path = path;
        kp.category = std::string(kCategories[rng.Below(std::size(kCategories))]);
        kp.level = std::string(kLevels[rng.Below(std::size(kLevels))]);
        kp.worker_id = worker;
        kp.visit_interval_days = kp.level == "control" ? 7 : (kp.level == "attention" ? 15 : 30);
        kp.created_at = now - 120 * kMsPerDay;
        kp.updated_at = now;
        std::vector<KeyPersonVisit> visits;
        // Visits every interval, the last one recent or (one in four) overdue.
        TimeMs last = kp.created_at;
        const bool overdue = rng.Int(1, 4) == 1;
        const TimeMs stop = overdue ? now - (kp.visit_interval_days + 3) * kMsPerDay : now;
        for (TimeMs t = kp.created_at + kp.visit_interval_days * kMsPerDay / 2; t < stop;
             t += kp.visit_interval_days * kMsPerDay) {
          visits.push_back({0, 0, worker, t, std::string(kLogs[rng.Below(std::size(kLogs))])});
          last = t;
        }
        kp.last_visit_at = visits.empty() ? std::nullopt : std::optional<TimeMs>(last);
        kp.next_visit_due = last + kp.visit_interval_days * kMsPerDay;
        data->key_person_of.emplace_back(h, 0);
        data->key_persons.push_back(std::move(kp));
        data->visits.push_back(std::move(visits));
      }
      // The last 7 days of patrols; about one worker in ten has not patrolled today.
      for (UserId w : grid_workers) {
        for (int day = 6; day >= 0; --day) {
          if (day == 0 && rng.Int(1, 10) == 1) continue;
          const TimeMs start = today - day * kMsPerDay + 8 * kMsPerHour;
          const int checks = rng.Int(2, 4);
          for (int c = 0; c < checks; ++c) {
            const TimeMs at = start + rng.Int64(0, 9 * kMsPerHour);
            if (at > now) continue;
            const GeoPoint p = PointIn(territory, grid, rng);
            data->patrols.push_back({0, w, at, p.lon, p.lat, path, "巡查"});
          }
          if (start + 10 * kMsPerHour <= now) {
            PatrolLog l;
            l.user_id = w;
            l.day = FormatDate(CivilFromDays((start + kShanghaiOffsetMs) / kMsPerDay));
            l.path = path;
            l.content = std::string(kLogs[rng.Below(std::size(kLogs))]);
            l.created_at = start + 10 * kMsPerHour;
            data->logs.push_back(std::move(l));
          }
        }
      }
      std::sort(data->patrols.begin(), data->patrols.end(),
                [](const PatrolCheckIn& a, const PatrolCheckIn& b) { return a.at < b.at; });
    }
    for (const auto& members : data->residents)
      summary.residents += static_cast<std::int64_t>(members.size());
    summary.households += households;
    summary.places += static_cast<std::int64_t>(data->places.size());
    summary.key_persons += static_cast<std::int64_t>(data->key_persons.size());
    summary.patrols += static_cast<std::int64_t>(data->patrols.size());
    summary.logs += static_cast<std::int64_t>(data->logs.size());
    store.Submit(
        [data](WriteTx& tx) -> Status {
          for (std::size_t h = 0; h < data->households.size(); ++h) {
            Household hh = data->households[h];
            if (Status s = tx.InsertHousehold(hh); !s) return s;
            for (std::size_t m = 0; m < data->residents[h].size(); ++m) {
              Resident r = data->residents[h][m];
              r.household_id = hh.id;
              if (Status s = tx.InsertResident(r); !s) return s;
              if (r.arrived_at) {
                ResidentMove a{0, r.id, "arrive", *r.arrived_at, r.path.grid_id, 0, "人来登记"};
                if (Status s = tx.InsertResidentMove(a); !s) return s;
              }
              if (r.departed_at) {
                ResidentMove d{0, r.id, "depart", *r.departed_at, r.path.grid_id, 0, "人走注销"};
                if (Status s = tx.InsertResidentMove(d); !s) return s;
              }
              for (std::size_t k = 0; k < data->key_persons.size(); ++k) {
                if (data->key_person_of[k].first != h || m != 0) continue;
                KeyPerson kp = data->key_persons[k];
                kp.resident_id = r.id;
                if (Status s = tx.InsertKeyPerson(kp); !s) return s;
                for (KeyPersonVisit v : data->visits[k]) {
                  v.key_person_id = kp.id;
                  if (Status s = tx.InsertKeyPersonVisit(v); !s) return s;
                }
              }
            }
          }
          for (Place p : data->places) {
            if (Status s = tx.InsertPlace(p); !s) return s;
          }
          for (PatrolCheckIn p : data->patrols) {
            if (Status s = tx.InsertPatrolCheckIn(p); !s) return s;
          }
          for (PatrolLog l : data->logs) {
            if (Status s = tx.InsertPatrolLog(l); !s) return s;
          }
          // Audited as a whole by the demo's one "demo.generate" record (demo_command.cc).
          return Status::Ok();
        },
        [failure, failure_mu](Status s) {
          if (s) return;
          std::lock_guard lock(*failure_mu);
          if (!*failure) *failure = s.error();
        });
    if (options.progress) {
      options.progress("base data", static_cast<double>(g + 1) / static_cast<double>(grids.size()));
    }
  }
  store.Drain();
  std::lock_guard lock(*failure_mu);
  if (*failure) return **failure;
  return summary;
}

}  // namespace civicgrid
