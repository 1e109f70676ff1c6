// CSV import and export of households, residents and places (issue 3). An import checks every
// row and reports each bad one (row, column, reason); unless the caller asks to skip bad rows,
// one bad row means nothing is imported. The whole file is one write unit (one transaction),
// with one audit record per imported row. Columns: docs/TERRITORY.md.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/common/result.h"
#include "core/identity/actor.h"
#include "core/people/people_service.h"

namespace civicgrid {

enum class CsvKind { kHouseholds, kResidents, kPlaces };
std::optional<CsvKind> CsvKindFromName(std::string_view name);  // households|residents|places

struct CsvRowError {
  std::size_t row = 0;  // as a spreadsheet counts: the header is row 1
  std::string column;   // "" for the whole row
  std::string reason;   // e.g. bad_checksum, missing_field, unknown_grid
  std::string message;
};

struct CsvImportReport {
  std::size_t rows = 0;  // data rows read
  std::size_t imported = 0;
  std::size_t skipped = 0;
  bool committed = false;           // false: nothing was imported
  std::vector<CsvRowError> errors;  // the first kMaxReportedErrors
  std::size_t error_count = 0;
};

inline constexpr std::size_t kMaxReportedErrors = 1000;

class BaseDataCsv {
 public:
  using ReferenceSource = std::function<std::shared_ptr<const ReferenceData>()>;
  using ImportDone = std::function<void(Result<CsvImportReport>)>;

  BaseDataCsv(Store& store, const Clock& clock, const Crypto& crypto, const Cipher& cipher,
              ReferenceSource reference);

  // Fails (kInvalidArgument) only when the file cannot be read as CSV with the kind's header;
  // row problems are in the report.
  void Import(const Actor& actor, CsvKind kind, std::string csv, bool skip_bad_rows,
              ImportDone done);
  // The caller's scope (or `region_id` within it) as CSV with the import's columns; ID numbers
  // masked.
  Result<std::string> Export(const Actor& actor, CsvKind kind, RegionId region_id);

 private:
  Store& store_;
  const Clock& clock_;
  const Crypto& crypto_;
  const Cipher& cipher_;
  ReferenceSource reference_;
};

// The columns of each kind, in export order.
const std::vector<std::string>& CsvColumns(CsvKind kind);

}  // namespace civicgrid
