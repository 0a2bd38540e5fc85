# knowledge_reader tests.
