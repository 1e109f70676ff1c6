// A small command-line parser: `civicgrid COMMAND [SUBCOMMAND] --flag value --switch`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/common/result.h"

namespace civicgrid {

class CliArgs {
 public:
  // `switches` are flags without a value; every other --flag takes one.
  static Result<CliArgs> Parse(const std::vector<std::string>& args,
                               const std::set<std::string>& switches);

  const std::vector<std::string>& positional() const { return positional_; }
  bool Has(const std::string& flag) const;
  std::string Get(const std::string& flag, const std::string& fallback = {}) const;
  Result<std::int64_t> GetInt(const std::string& flag, std::int64_t fallback, std::int64_t min,
                              std::int64_t max) const;
  // Flags given that are not in `known`: to report typos.
  std::vector<std::string> Unknown(const std::set<std::string>& known) const;

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::string> flags_;
};

}  // namespace civicgrid
