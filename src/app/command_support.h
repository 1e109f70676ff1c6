// Shared plumbing of the CLI subcommands: argument checking and error printing.
#pragma once

#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/application.h"
#include "app/cli_args.h"

namespace civicgrid {

// Parses `args` and refuses unknown flags; prints the problem and returns nullopt on error.
std::optional<CliArgs> ParseCommandArgs(const char* command, const std::vector<std::string>& args,
                                        const std::set<std::string>& flags,
                                        const std::set<std::string>& switches = {});
// Prints "civicgrid COMMAND: message" to stderr and returns exit code 1.
int CommandError(const char* command, const std::string& message);
// Reads a whole file; false if it cannot be read.
bool ReadFile(const std::string& path, std::string& out);
// Opens the application on --db (required).
std::unique_ptr<Application> OpenApplication(const char* command, const CliArgs& args,
                                             AppOptions options = {});

}  // namespace civicgrid
