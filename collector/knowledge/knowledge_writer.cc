#include "collector/knowledge/knowledge_writer.h"
