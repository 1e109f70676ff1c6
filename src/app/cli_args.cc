#include "app/cli_args.h"

#include <charconv>

namespace civicgrid {

Result<CliArgs> CliArgs::Parse(const std::vector<std::string>& args,
                               const std::set<std::string>& switches) {
  CliArgs out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0) {
      out.positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::string value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (switches.count(name)) {
      value = "true";
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return Fail(ErrorCode::kInvalidArgument, "--" + name + " needs a value", name);
    }
    out.flags_[name] = value;
  }
  return out;
}

bool CliArgs::Has(const std::string& flag) const { return flags_.count(flag) > 0; }

std::string CliArgs::Get(const std::string& flag, const std::string& fallback) const {
  auto it = flags_.find(flag);
  return it == flags_.end() ? fallback : it->second;
}

Result<std::int64_t> CliArgs::GetInt(const std::string& flag, std::int64_t fallback,
                                     std::int64_t min, std::int64_t max) const {
  auto it = flags_.find(flag);
  if (it == flags_.end()) return fallback;
  std::int64_t v = 0;
  const auto& s = it->second;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < min || v > max) {
    return Fail(ErrorCode::kInvalidArgument,
                "--" + flag + " must be a whole number from " + std::to_string(min) + " to " +
                    std::to_string(max),
                flag);
  }
  return v;
}

std::vector<std::string> CliArgs::Unknown(const std::set<std::string>& known) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : flags_) {
    if (!known.count(k)) out.push_back(k);
  }
  return out;
}

}  // namespace civicgrid
