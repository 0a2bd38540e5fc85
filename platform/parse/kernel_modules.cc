// Parses /proc/modules and modules.builtin.
#include "platform/parse/kernel_modules.h"

#include <string>

#include "platform/parse/modprobe_config.h"
#include "platform/parse/text.h"

namespace mamori::parse {

bool ProcModulesLists(std::string_view proc_modules, std::string_view module) {
  const std::string wanted = NormalizeModuleName(module);
  bool found = false;
  ForEachBoundedLine(proc_modules, [&](std::string_view line) {
    const std::string_view name = line.substr(0, line.find(' '));
    found = found || (!name.empty() && NormalizeModuleName(name) == wanted);
  });
  return found;
}

bool ModulesBuiltinLists(std::string_view modules_builtin, std::string_view module) {
  const std::string wanted = NormalizeModuleName(module);
  bool found = false;
  ForEachBoundedLine(modules_builtin, [&](std::string_view line) {
    line = TrimAsciiWhitespace(line);
    constexpr std::string_view kSuffix = ".ko";
    if (line.size() <= kSuffix.size() || line.substr(line.size() - kSuffix.size()) != kSuffix) {
      return;
    }
    line.remove_suffix(kSuffix.size());
    const std::size_t slash = line.rfind('/');
    const std::string_view name = slash == std::string_view::npos ? line : line.substr(slash + 1);
    found = found || (!name.empty() && NormalizeModuleName(name) == wanted);
  });
  return found;
}

}  // namespace mamori::parse
