// The CLI subcommands of `civicgrid`. Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace civicgrid {

int RunServe(const std::vector<std::string>& args);
int RunDemo(const std::vector<std::string>& args);
int RunAudit(const std::vector<std::string>& args);
int RunMigrate(const std::vector<std::string>& args);
// Territory and base data (issue 3): `regions import|export`, `import KIND`, `export KIND`.
int RunRegions(const std::vector<std::string>& args);
int RunImport(const std::vector<std::string>& args);
int RunExport(const std::vector<std::string>& args);

}  // namespace civicgrid
