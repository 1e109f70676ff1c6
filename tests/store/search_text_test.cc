#include "store/search_text.h"

#include <gtest/gtest.h>

namespace civicgrid {
namespace {

TEST(FoldSearchText, CjkRunsBecomeOverlappingBigrams) {
  EXPECT_EQ(FoldSearchText("小区门口"), "小区 区门 门口");
  EXPECT_EQ(FoldSearchText("小区东门井盖缺失"), "小区 区东 东门 门井 井盖 盖缺 缺失");
  EXPECT_EQ(FoldSearchText("井"), "井");
  EXPECT_EQ(FoldSearchText("井，盖"), "井 盖");
}

TEST(FoldSearchText, OtherTextBecomesLowerCaseWords) {
  EXPECT_EQ(FoldSearchText("Manhole COVER, missing!"), "manhole cover missing");
  EXPECT_EQ(FoldSearchText("3号楼 A12-5"), "3 号楼 a12 5");
  EXPECT_EQ(FoldSearchText("Ｗｉｆｉ１２"), "wifi12");
  EXPECT_EQ(FoldSearchText("Café Straße"), "café straße");  // the FTS tokenizer folds further
  EXPECT_EQ(FoldSearchText(""), "");
  EXPECT_EQ(FoldSearchText(" \t\n\"'()*:^"), "");
  EXPECT_EQ(FoldSearchText("a\xff"
                           "b"),
            "a b");  // invalid UTF-8 separates
}

TEST(FoldSearchText, AppendSeparatesWithASpace) {
  std::string out;
  AppendFoldedSearchText(out, "井盖");
  AppendFoldedSearchText(out, "");
  AppendFoldedSearchText(out, "Cover");
  EXPECT_EQ(out, "井盖 cover");
}

TEST(ParseSearchQuery, SplitsIntoPhrasesWordsAndSingleCharacters) {
  const auto terms = ParseSearchQuery("井盖缺失 Manhole 东 3号楼");
  ASSERT_EQ(terms.size(), 5u);
  EXPECT_EQ(terms[0].kind, SearchTermKind::kPhrase);
  EXPECT_EQ(terms[0].tokens, (std::vector<std::string>{"井盖", "盖缺", "缺失"}));
  EXPECT_EQ(terms[1].kind, SearchTermKind::kWord);
  EXPECT_EQ(terms[1].tokens, (std::vector<std::string>{"manhole"}));
  EXPECT_EQ(terms[2].kind, SearchTermKind::kSubstring);
  EXPECT_EQ(terms[2].tokens, (std::vector<std::string>{"东"}));
  EXPECT_EQ(terms[3].kind, SearchTermKind::kWord);
  EXPECT_EQ(terms[3].tokens, (std::vector<std::string>{"3"}));
  EXPECT_EQ(terms[4].kind, SearchTermKind::kPhrase);
  EXPECT_EQ(terms[4].tokens, (std::vector<std::string>{"号楼"}));
}

TEST(ParseSearchQuery, PunctuationAndOperatorsAreNotSyntax) {
  EXPECT_TRUE(ParseSearchQuery("\"").empty());
  EXPECT_TRUE(ParseSearchQuery("( ) * : ^ - +").empty());
  const auto terms = ParseSearchQuery("AND (");
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms[0].kind, SearchTermKind::kWord);
  EXPECT_EQ(terms[0].tokens[0], "and");
  for (const auto& term : ParseSearchQuery("\"井盖\" OR x\"y NEAR(a b)")) {
    for (const auto& token : term.tokens) {
      EXPECT_EQ(token.find_first_of("\"()*: "), std::string::npos) << token;
    }
  }
}

}  // namespace
}  // namespace civicgrid
