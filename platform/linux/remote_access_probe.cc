// The Linux remote access probe.
#include "platform/linux/remote_access_probe.h"

#include <string>
#include <vector>

#include "platform/linux/process_names.h"
#include "platform/linux/rooted_files.h"
#include "platform/parse/filename_pattern.h"
#include "platform/parse/sshd_config.h"

namespace mamori::platform {
namespace {

// sshd itself refuses Include nesting deeper than 16.
constexpr int kMaxIncludeDepth = 16;
constexpr std::size_t kMaxDirectives = 20000;

// The files an Include pattern names, sorted as glob(3) returns them. Relative patterns are
// relative to /etc/ssh; wildcards are honoured in the last path component only.
std::vector<std::string> IncludedFiles(const RootedFiles& files, std::string pattern) {
  if (pattern.empty()) {
    return {};
  }
  if (pattern.front() != '/') {
    pattern = "/etc/ssh/" + pattern;
  }
  const std::size_t slash = pattern.rfind('/');
  const std::string directory = pattern.substr(0, slash);
  const std::string name = pattern.substr(slash + 1);
  if (name.find_first_of("*?") == std::string::npos) {
    return {pattern};
  }
  std::vector<std::string> matched;
  for (const std::string& entry : files.List(directory, 1024)) {
    if (parse::MatchesFilenamePattern(name, entry)) {
      matched.push_back(directory + "/" + entry);
    }
  }
  return matched;
}

// Expands Include lines in place. A file budget keeps a file that includes itself twice from
// costing 2^16 reads.
class SshdConfigReader {
 public:
  explicit SshdConfigReader(const RootedFiles& files) : files_(files) {}

  // The directives of a file with its Include lines replaced by the directives of the files they
  // name.
  std::vector<parse::SshdDirective> Expand(const std::string& path, bool in_match, int depth) {
    std::vector<parse::SshdDirective> expanded;
    if (depth > kMaxIncludeDepth || files_read_ >= kMaxFilesRead) {
      return expanded;
    }
    ++files_read_;
    const FileText text = files_.Read(path, 256 * 1024);
    if (!text.ok()) {
      return expanded;
    }
    for (parse::SshdDirective& directive : parse::ParseSshdConfig(text.text)) {
      directive.in_match = directive.in_match || in_match;
      if (directive.keyword != "include") {
        if (expanded.size() < kMaxDirectives) {
          expanded.push_back(std::move(directive));
        }
        continue;
      }
      for (const std::string& pattern : directive.args) {
        for (const std::string& included : IncludedFiles(files_, pattern)) {
          for (parse::SshdDirective& inner : Expand(included, directive.in_match, depth + 1)) {
            if (expanded.size() < kMaxDirectives) {
              expanded.push_back(std::move(inner));
            }
          }
        }
      }
    }
    return expanded;
  }

 private:
  static constexpr int kMaxFilesRead = 256;

  const RootedFiles& files_;
  int files_read_ = 0;
};

}  // namespace

facts::RemoteAccess LinuxRemoteAccessProbe::Collect() {
  const RootedFiles files(env_.root);
  facts::RemoteAccess remote;
  remote.meta.collected_at = env_.now();
  const ProcessNames processes = ListProcessNames(files.Resolve("proc"));

  const bool sshd_installed = files.Exists("usr/sbin/sshd");
  remote.ssh_enabled =
      sshd_installed && (processes.Contains("sshd") || UnitEnabled(files, "ssh.service") ||
                         UnitEnabled(files, "sshd.service") || UnitEnabled(files, "ssh.socket"));
  if (sshd_installed) {
    const std::string config = "/etc/ssh/sshd_config";
    if (files.Exists(config)) {
      const parse::SshdSettings settings =
          parse::EffectiveSshdSettings(SshdConfigReader(files).Expand(config, false, 0));
      remote.ssh_password_authentication = parse::SshdAcceptsPasswords(settings);
      remote.ssh_root_login = parse::SshdAcceptsRootPassword(settings);
    }
  }

  const bool xrdp_installed = files.Exists("usr/sbin/xrdp");
  remote.rdp_enabled =
      xrdp_installed && (processes.Contains("xrdp") || UnitEnabled(files, "xrdp.service"));

  remote.meta.status = facts::ProbeStatus::Ok();
  return remote;
}

}  // namespace mamori::platform
