// The collector's database schema, as the ordered list of migrations that builds it.
#pragma once

#include <span>

#include "collector/storage/database.h"

namespace mamori::collector {

// Append new steps at the end; never edit a step that has shipped.
std::span<const Migration> CollectorSchema();

}  // namespace mamori::collector
