#include "platform/parse/security_center.h"

#include <gtest/gtest.h>

namespace mamori::parse {
namespace {

using facts::AntivirusState;

SecurityCenterProductState State(AntivirusState state, bool microsoft_owned,
                                 std::optional<bool> signatures_up_to_date) {
  return {state, microsoft_owned, signatures_up_to_date};
}

TEST(SecurityCenterProductState, DecodesDefenderOnAndUpToDate) {
  // 397568 = 0x061100: what Windows 10 and 11 report for Defender protecting the PC.
  EXPECT_EQ(DecodeProductState(397568), State(AntivirusState::kOn, true, true));
}

TEST(SecurityCenterProductState, DecodesDefenderTurnedOffBesideAnotherProduct) {
  // 393472 = 0x060100: Defender when a third-party product has taken over, or switched off.
  EXPECT_EQ(DecodeProductState(393472), State(AntivirusState::kOff, true, true));
}

TEST(SecurityCenterProductState, DecodesDefenderWithOutOfDateSignatures) {
  EXPECT_EQ(DecodeProductState(397584), State(AntivirusState::kOn, true, false));  // 0x061110
}

TEST(SecurityCenterProductState, DecodesThirdPartyProductsOnAndOff) {
  EXPECT_EQ(DecodeProductState(266240), State(AntivirusState::kOn, false, true));    // 0x041000
  EXPECT_EQ(DecodeProductState(331776), State(AntivirusState::kOn, false, true));    // 0x051000
  EXPECT_EQ(DecodeProductState(262144), State(AntivirusState::kOff, false, true));   // 0x040000
  EXPECT_EQ(DecodeProductState(266256), State(AntivirusState::kOn, false, false));   // 0x041010
  EXPECT_EQ(DecodeProductState(393232), State(AntivirusState::kOff, false, false));  // 0x060010
}

TEST(SecurityCenterProductState, DecodesSnoozedAndExpiredProducts) {
  EXPECT_EQ(DecodeProductState(270336), State(AntivirusState::kSnoozed, false, true));  // 0x042000
  EXPECT_EQ(DecodeProductState(274432), State(AntivirusState::kExpired, false, true));  // 0x043000
}

TEST(SecurityCenterProductState, LeavesUnknownDigitsUnspecified) {
  // 0x054000: a scanner digit no decoding names; 0x041020: a signature digit neither 0 nor 1.
  EXPECT_EQ(DecodeProductState(344064), State(AntivirusState::kUnspecified, false, true));
  EXPECT_EQ(DecodeProductState(266272), State(AntivirusState::kOn, false, std::nullopt));
}

TEST(SecurityCenterProductState, RejectsValuesThatCannotBeAProductState) {
  EXPECT_EQ(DecodeProductState(-1), std::nullopt);
  EXPECT_EQ(DecodeProductState(0x1000000), std::nullopt);
  EXPECT_NE(DecodeProductState(0xFFFFFF), std::nullopt);
}

TEST(DefenderState, CallsEveryPassiveRunningModePassiveNotOff) {
  EXPECT_EQ(DefenderState("Passive Mode", true, true), AntivirusState::kPassive);
  EXPECT_EQ(DefenderState("SxS Passive Mode", true, true), AntivirusState::kPassive);
  EXPECT_EQ(DefenderState("EDR Block Mode", false, true), AntivirusState::kPassive);
  EXPECT_EQ(DefenderState("passive mode", std::nullopt, std::nullopt), AntivirusState::kPassive);
}

TEST(DefenderState, IsOnInNormalModeUnlessDisabled) {
  EXPECT_EQ(DefenderState("Normal", true, true), AntivirusState::kOn);
  EXPECT_EQ(DefenderState(" Normal ", std::nullopt, std::nullopt), AntivirusState::kOn);
  EXPECT_EQ(DefenderState("Normal", false, true), AntivirusState::kOff);
  EXPECT_EQ(DefenderState("Normal", true, false), AntivirusState::kOff);
}

TEST(DefenderState, IsOffWhenNotRunning) {
  EXPECT_EQ(DefenderState("Not running", false, false), AntivirusState::kOff);
  EXPECT_EQ(DefenderState("Not running", std::nullopt, std::nullopt), AntivirusState::kOff);
}

TEST(DefenderState, FallsBackOnAntivirusEnabledWithoutARunningMode) {
  // Older Defender platforms have no AMRunningMode.
  EXPECT_EQ(DefenderState("", true, true), AntivirusState::kOn);
  EXPECT_EQ(DefenderState("", false, true), AntivirusState::kOff);
  EXPECT_EQ(DefenderState("", std::nullopt, std::nullopt), AntivirusState::kUnspecified);
  EXPECT_EQ(DefenderState("Some Future Mode", std::nullopt, std::nullopt),
            AntivirusState::kUnspecified);
}

}  // namespace
}  // namespace mamori::parse
