#include "platform/parse/utf8.h"

#include <gtest/gtest.h>

#include <string_view>

namespace mamori::parse {
namespace {

using namespace std::string_view_literals;

TEST(IsValidUtf8, AcceptsAsciiJapaneseAndFourByteSequences) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("reception-01"));
  EXPECT_TRUE(IsValidUtf8("受付-01"));
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x98\x80"));  // U+1F600
  EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF, the last code point
  EXPECT_TRUE(IsValidUtf8("a\0b"sv));            // NUL is valid UTF-8; callers judge controls
}

TEST(IsValidUtf8, RejectsOverlongForms) {
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xc1\xbf"));          // overlong U+007F
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // three-byte overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xf0\x80\x80\xaf"));  // four-byte overlong '/'
}

TEST(IsValidUtf8, RejectsUtf16Surrogates) {
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // U+D800
  EXPECT_FALSE(IsValidUtf8("\xed\xbf\xbf"));  // U+DFFF
  EXPECT_TRUE(IsValidUtf8("\xed\x9f\xbf"));   // U+D7FF, just below
  EXPECT_TRUE(IsValidUtf8("\xee\x80\x80"));   // U+E000, just above
}

TEST(IsValidUtf8, RejectsCodePointsPastU10FFFF) {
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(IsValidUtf8("\xf5\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xf8\x88\x80\x80\x80"));  // five-byte form
  EXPECT_FALSE(IsValidUtf8("\xff"));
}

TEST(IsValidUtf8, RejectsTruncatedAndStrayBytes) {
  EXPECT_FALSE(IsValidUtf8("\xe3\x81"));      // truncated three-byte
  EXPECT_FALSE(IsValidUtf8("\xf0\x9f\x98"));  // truncated four-byte
  EXPECT_FALSE(
      IsValidUtf8("\xe3\x81"
                  "a"));              // continuation replaced by ASCII
  EXPECT_FALSE(IsValidUtf8("\x80"));  // stray continuation
}

TEST(Utf8SequenceLength, GivesTheLengthOfEachValidSequence) {
  constexpr std::string_view kText = "a\xc3\xa9\xe3\x81\x82\xf0\x9f\x98\x80";
  EXPECT_EQ(Utf8SequenceLength(kText, 0), 1u);
  EXPECT_EQ(Utf8SequenceLength(kText, 1), 2u);
  EXPECT_EQ(Utf8SequenceLength(kText, 3), 3u);
  EXPECT_EQ(Utf8SequenceLength(kText, 6), 4u);
}

TEST(Utf8SequenceLength, IsZeroAtAnInvalidSequence) {
  EXPECT_EQ(Utf8SequenceLength("\xc0\xaf", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("\xed\xa0\x80", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("\xf4\x90\x80\x80", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("a\xe3\x81", 1), 0u);
  EXPECT_EQ(Utf8SequenceLength("\xc3\xa9", 1), 0u);  // a continuation byte is no start
}

}  // namespace
}  // namespace mamori::parse
