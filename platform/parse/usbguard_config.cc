// Parses USBGuard configuration.
#include "platform/parse/usbguard_config.h"

#include "platform/parse/text.h"

namespace mamori::parse {

std::string ParseUsbGuardImplicitPolicyTarget(std::string_view daemon_conf) {
  std::string target = "block";
  ForEachBoundedLine(daemon_conf, [&](std::string_view line) {
    line = TrimAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') {
      return;
    }
    const auto field = SplitKeyValue(line, '=');
    if (field && field->key == "ImplicitPolicyTarget") {
      target = std::string(field->value);
    }
  });
  return target;
}

bool UsbGuardRulesAllowEverything(std::string_view rules) {
  bool allows_all = false;
  ForEachBoundedLine(rules, [&](std::string_view line) {
    line = TrimAsciiWhitespace(line);
    allows_all = allows_all || line == "allow" || line == "allow *:*" || line == "allow id *:*";
  });
  return allows_all;
}

}  // namespace mamori::parse
