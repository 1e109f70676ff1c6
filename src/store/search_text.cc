#include "store/search_text.h"

namespace civicgrid {
namespace {

constexpr std::uint32_t kInvalid = 0xFFFFFFFF;

// Decodes the code point at s[i], leniently: a malformed sequence is one invalid byte.
std::uint32_t DecodeAt(std::string_view s, std::size_t i, std::size_t& len) {
  const auto c = static_cast<unsigned char>(s[i]);
  len = 1;
  if (c < 0x80) return c;
  std::size_t n;
  std::uint32_t cp;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1Fu;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0Fu;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07u;
  } else {
    return kInvalid;
  }
  if (i + n > s.size()) return kInvalid;
  for (std::size_t k = 1; k < n; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return kInvalid;
    cp = (cp << 6) | (cc & 0x3Fu);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
      cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return kInvalid;
  }
  len = n;
  return cp;
}

enum class CharClass : std::uint8_t { kSeparator, kWord, kCjk };

bool IsCjk(std::uint32_t cp) {
  return (cp >= 0x3005 && cp <= 0x3007) ||  // 々 〆 〇
         (cp >= 0x3040 && cp <= 0x30FA) ||  // kana
         cp == 0x30FC ||                    // ー
         (cp >= 0x3400 && cp <= 0x4DBF) ||  // extension A
         (cp >= 0x4E00 && cp <= 0x9FFF) ||  // unified ideographs
         (cp >= 0xAC00 && cp <= 0xD7AF) ||  // hangul syllables
         (cp >= 0xF900 && cp <= 0xFAFF) ||  // compatibility ideographs
         (cp >= 0x20000 && cp <= 0x3FFFF);  // extensions B and later
}

bool IsSeparator(std::uint32_t cp) {
  if (cp < 0x80) {
    const bool alnum =
        (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    return !alnum;
  }
  return cp == kInvalid || (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
         (cp >= 0x2000 && cp <= 0x2BFF) ||  // punctuation, symbols, arrows, shapes
         (cp >= 0x3000 && cp <= 0x303F) ||  // CJK symbols and punctuation (々〆〇 are CJK)
         cp == 0x30FB ||                    // ・
         (cp >= 0xFE00 && cp <= 0xFE6F) ||  // variation selectors, vertical and small forms
         (cp >= 0xFF00 && cp <= 0xFF65) ||  // fullwidth punctuation (alnum is folded first)
         cp == 0xFEFF || (cp >= 0xFFF0 && cp <= 0xFFFF) || (cp >= 0x1F000 && cp <= 0x1FAFF);
}

// Fullwidth ASCII letters and digits (ＡＢＣ１２３) read as ASCII.
std::uint32_t FoldWidth(std::uint32_t cp) {
  if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
      (cp >= 0xFF41 && cp <= 0xFF5A)) {
    return cp - 0xFEE0;
  }
  return cp;
}

CharClass Classify(std::uint32_t cp) {
  if (IsCjk(cp)) return CharClass::kCjk;
  if (IsSeparator(cp)) return CharClass::kSeparator;
  return CharClass::kWord;
}

// Splits text into words (lower-cased) and CJK runs (as one string_view per character).
template <typename OnWord, typename OnRun>
void Segment(std::string_view s, OnWord on_word, OnRun on_run) {
  std::string word;
  std::vector<std::string_view> run;
  const auto flush = [&] {
    if (!word.empty()) {
      on_word(word);
      word.clear();
    }
    if (!run.empty()) {
      on_run(run);
      run.clear();
    }
  };
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len;
    const std::uint32_t cp = FoldWidth(DecodeAt(s, i, len));
    switch (Classify(cp)) {
      case CharClass::kSeparator: flush(); break;
      case CharClass::kCjk:
        if (!word.empty()) flush();
        run.push_back(s.substr(i, len));
        break;
      case CharClass::kWord:
        if (!run.empty()) flush();
        if (cp < 0x80) {
          const auto c = static_cast<char>(cp);
          word.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
        } else {
          word.append(s.substr(i, len));
        }
        break;
    }
    i += len;
  }
  flush();
}

void AppendToken(std::string& out, std::string_view token) {
  if (!out.empty()) out.push_back(' ');
  out.append(token);
}

std::string Bigram(std::string_view a, std::string_view b) {
  std::string t;
  t.reserve(a.size() + b.size());
  t.append(a);
  t.append(b);
  return t;
}

}  // namespace

void AppendFoldedSearchText(std::string& out, std::string_view text) {
  Segment(
      text, [&](const std::string& word) { AppendToken(out, word); },
      [&](const std::vector<std::string_view>& run) {
        if (run.size() == 1) {
          AppendToken(out, run[0]);
          return;
        }
        for (std::size_t k = 0; k + 1 < run.size(); ++k) {
          if (!out.empty()) out.push_back(' ');
          out.append(run[k]);
          out.append(run[k + 1]);
        }
      });
}

std::string FoldSearchText(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 2);
  AppendFoldedSearchText(out, text);
  return out;
}

std::vector<SearchTerm> ParseSearchQuery(std::string_view query) {
  std::vector<SearchTerm> terms;
  Segment(
      query,
      [&](const std::string& word) {
        terms.push_back(SearchTerm{SearchTermKind::kWord, {word}});
      },
      [&](const std::vector<std::string_view>& run) {
        if (run.size() == 1) {
          terms.push_back(SearchTerm{SearchTermKind::kSubstring, {std::string(run[0])}});
          return;
        }
        SearchTerm term{SearchTermKind::kPhrase, {}};
        for (std::size_t k = 0; k + 1 < run.size(); ++k) {
          term.tokens.push_back(Bigram(run[k], run[k + 1]));
        }
        terms.push_back(std::move(term));
      });
  return terms;
}

}  // namespace civicgrid
