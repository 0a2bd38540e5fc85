#include "collector/knowledge/knowledge_reader.h"
