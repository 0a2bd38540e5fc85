#include "collector/knowledge/policy_source.h"
