#include "api/test_server.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace civicgrid::testing {

namespace {

pid_t Spawn(const std::vector<std::string>& args, int stdout_fd, int stderr_fd) {
  std::vector<char*> argv;
  std::string binary = CIVICGRID_BINARY;
  argv.push_back(binary.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    if (stdout_fd >= 0) dup2(stdout_fd, STDOUT_FILENO);
    if (stderr_fd >= 0) dup2(stderr_fd, STDERR_FILENO);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "civicgrid-test-XXXXXX").string();
  char* made = mkdtemp(tmpl.data());
  if (made == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int RunCivicgrid(const std::vector<std::string>& args, std::string* out) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  const pid_t pid = Spawn(args, fds[1], fds[1]);
  close(fds[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) {
    text.append(buf, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (out != nullptr) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void MakeDemoDb(const std::string& db, int events, const std::string& password, int seed) {
  std::string out;
  const int rc = RunCivicgrid({"demo", "--db", db, "--events", std::to_string(events), "--seed",
                               std::to_string(seed), "--password", password,
                               // A few households per grid keep the fixtures fast.
                               "--households-per-grid", "3"},
                              &out);
  ASSERT_EQ(rc, 0) << out;
}

ServerProcess::ServerProcess(std::string db, std::vector<std::string> extra_args)
    : db_(std::move(db)), extra_args_(std::move(extra_args)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill9();
}

bool ServerProcess::Start() {
  int fds[2];
  if (pipe(fds) != 0) return false;
  std::vector<std::string> args = {"serve", "--db", db_, "--listen", "127.0.0.1:0", "--quiet"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  const int devnull = open("/dev/null", O_WRONLY);
  pid_ = Spawn(args, devnull, fds[1]);
  close(devnull);
  close(fds[1]);
  stderr_fd_ = fds[0];
  // Read log lines until the listening line names the port.
  std::string text;
  char buf[1024];
  for (ssize_t n; (n = read(stderr_fd_, buf, sizeof buf)) > 0;) {
    text.append(buf, static_cast<std::size_t>(n));
    const auto at = text.find("\"msg\":\"listening\"");
    if (at == std::string::npos) continue;
    const auto addr = text.find("\"address\":\"", at);
    const auto end = text.find('"', addr + 11);
    if (addr == std::string::npos || end == std::string::npos) continue;
    const std::string address = text.substr(addr + 11, end - addr - 11);
    port_ = static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
    // Keep draining stderr (into a file beside the database, for failures) so the server
    // never blocks on a full pipe.
    const int fd = stderr_fd_;
    const std::string log = log_path();
    std::thread([fd, log] {
      FILE* out = std::fopen(log.c_str(), "w");
      char sink[4096];
      for (ssize_t got; (got = read(fd, sink, sizeof sink)) > 0;) {
        if (out != nullptr) {
          std::fwrite(sink, 1, static_cast<std::size_t>(got), out);
          std::fflush(out);
        }
      }
      if (out != nullptr) std::fclose(out);
      close(fd);
    }).detach();
    stderr_fd_ = -1;
    return true;
  }
  ADD_FAILURE() << "server exited before listening: " << text;
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return false;
}

std::string ServerProcess::LogText() const {
  std::ifstream in(log_path());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void ServerProcess::Kill9() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

int ServerProcess::Terminate() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace civicgrid::testing
