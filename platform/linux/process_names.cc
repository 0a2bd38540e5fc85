// Lists process names from /proc/<pid>/comm.
#include "platform/linux/process_names.h"

#include <system_error>

#include "platform/linux/bounded_file.h"
#include "platform/parse/text.h"

namespace mamori::platform {
namespace {

// TASK_COMM_LEN is 16 with the terminating NUL.
constexpr std::size_t kCommBytes = 15;

bool IsPid(const std::string& name) {
  return !name.empty() && name.size() <= 10 &&
         name.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

bool ProcessNames::Contains(std::string_view name) const {
  return names.count(std::string(name.substr(0, kCommBytes))) > 0;
}

ProcessNames ListProcessNames(const std::filesystem::path& proc_dir, std::size_t max_processes) {
  ProcessNames processes;
  std::error_code error;
  std::filesystem::directory_iterator entries(proc_dir, error);
  if (error) {
    processes.error = "cannot list " + proc_dir.string() + ": " + error.message();
    return processes;
  }
  std::size_t seen = 0;
  for (; !error && entries != std::filesystem::directory_iterator(); entries.increment(error)) {
    const std::string name = entries->path().filename().string();
    if (!IsPid(name)) {
      continue;
    }
    if (seen >= max_processes) {
      processes.truncated = true;
      break;
    }
    ++seen;
    const FileText comm = ReadBoundedFile(entries->path() / "comm", 64);
    if (!comm.ok()) {
      continue;  // exited meanwhile, or not a process directory
    }
    const std::string_view trimmed = parse::TrimAsciiWhitespace(comm.text);
    if (!trimmed.empty()) {
      processes.names.insert(std::string(trimmed.substr(0, kCommBytes)));
    }
  }
  if (error) {
    processes.error = "cannot list " + proc_dir.string() + ": " + error.message();
  }
  return processes;
}

}  // namespace mamori::platform
