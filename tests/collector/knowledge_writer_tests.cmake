# knowledge_writer tests.
