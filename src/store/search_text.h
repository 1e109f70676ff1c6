// Folding of free text for substring search on engines with word indexes (SQLite FTS5,
// PostgreSQL tsvector/GIN): every run of CJK characters becomes its overlapping bigrams and other
// text lower-cased words, so that a two-character word like 井盖 is one indexed token.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace civicgrid {

// The indexed form of `text`: tokens separated by single spaces. Tokens never contain spaces,
// quotes or other ASCII punctuation.
//   "小区东门井盖缺失, Manhole 3号" → "小区 区东 东门 门井 井盖 盖缺 缺失 manhole 3 号"
// A lone CJK character (a run of one) is a token of its own. Invalid UTF-8 bytes separate.
std::string FoldSearchText(std::string_view text);
// Appends the folded form to `out`, with a separating space when `out` is not empty.
void AppendFoldedSearchText(std::string& out, std::string_view text);

enum class SearchTermKind : std::uint8_t {
  kPhrase,     // a CJK run of 2+ characters: its bigrams, adjacent and in order
  kWord,       // a word: the indexed token tokens[0], whole (case-folded). Not a prefix: a
               // prefix query reads every posting of every token it expands to ("2024"*).
  kSubstring,  // a lone CJK character: no bigram holds it alone, so match the raw text
};

struct SearchTerm {
  SearchTermKind kind = SearchTermKind::kWord;
  std::vector<std::string> tokens;  // kSubstring: tokens[0] is the character (UTF-8)
};

// The terms of a user query; an event matches when every term matches its title or its
// description. Whitespace separates words; inside a word CJK runs and other letters/digits are
// separate terms ("井盖abc" → phrase 井盖, word abc). Punctuation is dropped, so no input can
// produce a syntax error downstream; a query with no letters, digits or CJK gives no terms.
std::vector<SearchTerm> ParseSearchQuery(std::string_view query);

}  // namespace civicgrid
