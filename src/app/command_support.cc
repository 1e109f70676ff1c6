#include "app/command_support.h"

#include <fstream>
#include <sstream>

namespace civicgrid {

std::optional<CliArgs> ParseCommandArgs(const char* command, const std::vector<std::string>& args,
                                        const std::set<std::string>& flags,
                                        const std::set<std::string>& switches) {
  auto parsed = CliArgs::Parse(args, switches);
  if (!parsed) {
    CommandError(command, parsed.error().message);
    return std::nullopt;
  }
  std::set<std::string> known = flags;
  known.insert(switches.begin(), switches.end());
  for (const auto& flag : parsed->Unknown(known)) {
    CommandError(command, "unknown option --" + flag + " (civicgrid help)");
    return std::nullopt;
  }
  return std::move(*parsed);
}

int CommandError(const char* command, const std::string& message) {
  std::fprintf(stderr, "civicgrid %s: %s\n", command, message.c_str());
  return 1;
}

std::unique_ptr<Application> OpenApplication(const char* command, const CliArgs& args,
                                             AppOptions options) {
  options.db_path = args.Get("db");
  if (options.data_key_file.empty()) options.data_key_file = args.Get("data-key-file");
  if (options.db_path.empty()) {
    CommandError(command, "--db PATH is required");
    return nullptr;
  }
  auto app = Application::Open(options);
  if (!app) {
    CommandError(command, app.error().message);
    return nullptr;
  }
  return std::move(*app);
}

bool ReadFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream text;
  text << in.rdbuf();
  out = text.str();
  return true;
}

}  // namespace civicgrid
