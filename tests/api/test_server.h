// Runs the real `civicgrid` binary for integration tests: a demo database in a temp dir and a
// server on an ephemeral loopback port. The port is read from the server's "listening" log
// line (blocking read on a pipe, no polling).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace civicgrid::testing {

// A fresh temporary directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs `civicgrid ARGS...` to completion; returns the exit code, output in `out`.
int RunCivicgrid(const std::vector<std::string>& args, std::string* out = nullptr);

// Creates a demo city database (`civicgrid demo`) with the given password.
void MakeDemoDb(const std::string& db, int events, const std::string& password, int seed = 7);

class ServerProcess {
 public:
  explicit ServerProcess(std::string db, std::vector<std::string> extra_args = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts and waits for the listening line; fails the test (ADD_FAILURE) and returns false
  // if the server exits first.
  bool Start();
  std::uint16_t port() const { return port_; }
  // SIGKILL: no chance to flush anything.
  void Kill9();
  // SIGTERM and wait; returns the exit status.
  int Terminate();
  bool running() const { return pid_ > 0; }
  // What the server wrote on stderr after it started listening.
  std::string LogText() const;

 private:
  std::string log_path() const { return db_ + ".serve.log"; }
  std::string db_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace civicgrid::testing
