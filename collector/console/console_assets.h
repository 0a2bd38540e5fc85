// The console's static files (collector/console/assets/), embedded in the binary at build time by
// embed_assets.cmake: the clinic LAN may have no internet, and nothing is read from disk at run
// time.
#pragma once

#include <span>
#include <string_view>

namespace mamori::collector {

struct ConsoleAsset {
  std::string_view path;  // "/index.html", "/app.js": the file's path under assets/
  std::string_view content_type;
  std::string_view body;
};

// Every embedded file, by path.
std::span<const ConsoleAsset> ConsoleAssets();

}  // namespace mamori::collector
