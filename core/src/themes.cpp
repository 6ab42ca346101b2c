#include "npskit/themes.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string_view>

#include "npskit/text.h"
#include "reproducible_math.h"
#include "stopwords.h"

namespace npskit {
namespace {

constexpr char32_t invalid_code_point = 0xFFFFFFFF;

// Longer letter runs are identifiers, hashes or keyboard mashing, not themes;
// dropping them also keeps one pathological comment from adding huge terms.
constexpr std::size_t max_word_letters = 48;

constexpr std::size_t max_examples = 3;

// Chinese candidate phrases are substrings of up to this many characters:
// words are one to four characters, set phrases rarely longer.
constexpr std::size_t max_chinese_phrase = 6;

// A Japanese word with its okurigana is rarely longer; longer chunks are
// unsegmented sentences, not themes.
constexpr std::size_t max_japanese_chunk = 16;

// Strict UTF-8 decoding (no overlongs, no surrogates, nothing above
// U+10FFFF). An invalid sequence yields invalid_code_point and consumes one
// byte, so decoding resynchronizes on the next valid character.
char32_t decode(std::string_view text, std::size_t& position) {
  const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
  const unsigned char lead = byte(position);
  if (lead < 0x80) {
    ++position;
    return lead;
  }
  std::size_t length = 0;
  char32_t value = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0Fu;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07u;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    ++position;
    return invalid_code_point;
  }
  if (position + length > text.size()) {
    ++position;
    return invalid_code_point;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char next = byte(position + i);
    const unsigned char minimum = i == 1 ? low : 0x80;
    const unsigned char maximum = i == 1 ? high : 0xBF;
    if (next < minimum || next > maximum) {
      ++position;
      return invalid_code_point;
    }
    value = (value << 6) | (next & 0x3Fu);
  }
  position += length;
  return value;
}

// A growable byte string whose appends inline and never fill: the
// WebAssembly build's standard library compiles std::string's members once,
// out of line, so every appended byte would be a call. Its storage only grows,
// so the tokenizer's buffers stop allocating after the first long words.
class byte_buffer {
 public:
  void clear() { size_ = 0; }
  std::size_t size() const { return size_; }
  std::string_view view() const { return {storage_.data(), size_}; }
  char& operator[](std::size_t at) { return storage_[at]; }

  // Counts `count` more bytes as written and returns where they go.
  char* extend(std::size_t count) {
    if (size_ + count > storage_.size()) {
      storage_.resize(std::max(storage_.size() * 2, size_ + count + 64));
    }
    char* const at = storage_.data() + size_;
    size_ += count;
    return at;
  }

 private:
  std::vector<char> storage_;
  std::size_t size_ = 0;
};

void append_utf8(byte_buffer& out, char32_t c) {
  if (c < 0x80) {
    *out.extend(1) = static_cast<char>(c);
  } else if (c < 0x800) {
    char* const at = out.extend(2);
    at[0] = static_cast<char>(0xC0 | (c >> 6));
    at[1] = static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    char* const at = out.extend(3);
    at[0] = static_cast<char>(0xE0 | (c >> 12));
    at[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    at[2] = static_cast<char>(0x80 | (c & 0x3F));
  } else {
    char* const at = out.extend(4);
    at[0] = static_cast<char>(0xF0 | (c >> 18));
    at[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    at[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    at[3] = static_cast<char>(0x80 | (c & 0x3F));
  }
}

enum class kind {
  separator,
  letter,        // part of a word
  kept_mark,     // combining mark that stays in the word (decomposed accents)
  dropped_mark,  // vowel points, tashkeel and tatweel: optional in writing
  cjk,           // ideograph or kana: no spaces between words
};

bool in(char32_t c, char32_t first, char32_t last) { return c >= first && c <= last; }

kind kind_of(char32_t c) {
  if (in(c, 'a', 'z') || in(c, 'A', 'Z')) return kind::letter;
  if (c < 0xC0) return kind::separator;
  // Latin-1 letters (not the multiplication and division signs), Latin
  // Extended-A and -B.
  if (c <= 0x24F) return c == 0xD7 || c == 0xF7 ? kind::separator : kind::letter;
  if (in(c, 0x300, 0x36F)) return kind::kept_mark;
  // Greek, without its punctuation and spacing accents below U+0388.
  if (c == 0x386 || in(c, 0x388, 0x3FF)) return kind::letter;
  if (in(c, 0x483, 0x489)) return kind::kept_mark;
  if (in(c, 0x400, 0x52F)) return c == 0x482 ? kind::separator : kind::letter;
  // Hebrew: points and cantillation are optional; maqaf, geresh and
  // gershayim are punctuation.
  if (in(c, 0x591, 0x5C7)) {
    return c == 0x5BE || c == 0x5C0 || c == 0x5C3 || c == 0x5C6 ? kind::separator
                                                                : kind::dropped_mark;
  }
  if (in(c, 0x5D0, 0x5EA) || in(c, 0x5EF, 0x5F2)) return kind::letter;
  // Arabic: tashkeel, Quranic marks and the tatweel are optional.
  if (in(c, 0x610, 0x61A) || in(c, 0x64B, 0x65F) || c == 0x670 || c == 0x640 ||
      in(c, 0x6D6, 0x6DC) || in(c, 0x6DF, 0x6E4) || in(c, 0x6E7, 0x6E8) || in(c, 0x6EA, 0x6ED)) {
    return kind::dropped_mark;
  }
  if (in(c, 0x620, 0x64A) || in(c, 0x66E, 0x66F) || in(c, 0x671, 0x6D3) || c == 0x6D5 ||
      in(c, 0x6EE, 0x6EF) || in(c, 0x6FA, 0x6FC) || c == 0x6FF || in(c, 0x750, 0x77F)) {
    return kind::letter;
  }
  if (in(c, 0x1100, 0x11FF)) return kind::letter;  // Hangul Jamo
  if (in(c, 0x1AB0, 0x1AFF) || in(c, 0x1DC0, 0x1DFF) || in(c, 0x20D0, 0x20FF)) {
    return kind::kept_mark;
  }
  if (in(c, 0x1E00, 0x1FFF)) return kind::letter;  // Latin Extended Additional, Greek Extended
  if (in(c, 0x3005, 0x3007)) return kind::cjk;     // iteration mark, closing mark, zero
  // Hiragana and Katakana, without the katakana double hyphen and middle dot.
  if (in(c, 0x3041, 0x30FF)) return c == 0x30A0 || c == 0x30FB ? kind::separator : kind::cjk;
  if (in(c, 0x3130, 0x318F)) return kind::letter;  // Hangul compatibility Jamo
  if (in(c, 0x31F0, 0x31FF) || in(c, 0x3400, 0x4DBF) || in(c, 0x4E00, 0x9FFF) ||
      in(c, 0xF900, 0xFAFF) || in(c, 0x20000, 0x3134F)) {
    return kind::cjk;
  }
  if (in(c, 0xAC00, 0xD7A3)) return kind::letter;  // Hangul syllables
  if (in(c, 0xFE70, 0xFEFC)) return kind::letter;  // Arabic presentation forms
  if (in(c, 0xFF21, 0xFF3A) || in(c, 0xFF41, 0xFF5A)) return kind::letter;  // fullwidth Latin
  if (in(c, 0xFF66, 0xFF9F)) return kind::cjk;                              // halfwidth Katakana
  return kind::separator;
}

bool is_even(char32_t c) { return c % 2 == 0; }

char32_t to_lower(char32_t c) {
  if (in(c, 'A', 'Z')) return c + 32;
  if (c < 0xC0) return c;
  if (in(c, 0xC0, 0xDE)) return c == 0xD7 ? c : c + 32;
  if (c == 0x130) return 'i';  // Turkish dotted capital I
  if (in(c, 0x100, 0x137) || in(c, 0x14A, 0x177)) return is_even(c) ? c + 1 : c;
  if (in(c, 0x139, 0x148) || in(c, 0x179, 0x17E)) return is_even(c) ? c : c + 1;
  if (c == 0x178) return 0xFF;
  if (in(c, 0x1CD, 0x1DC)) return is_even(c) ? c : c + 1;
  if (in(c, 0x1DE, 0x1EF) || in(c, 0x1F8, 0x21F) || in(c, 0x222, 0x233)) {
    return is_even(c) ? c + 1 : c;
  }
  if (c == 0x386) return 0x3AC;
  if (in(c, 0x388, 0x38A)) return c + 37;
  if (c == 0x38C) return 0x3CC;
  if (in(c, 0x38E, 0x38F)) return c + 63;
  if (in(c, 0x391, 0x3A1) || in(c, 0x3A3, 0x3AB)) return c + 32;
  if (in(c, 0x400, 0x40F)) return c + 80;
  if (in(c, 0x410, 0x42F)) return c + 32;
  if (in(c, 0x460, 0x481) || in(c, 0x48A, 0x4BF) || in(c, 0x4D0, 0x52F)) {
    return is_even(c) ? c + 1 : c;
  }
  if (c == 0x4C0) return 0x4CF;
  if (in(c, 0x4C1, 0x4CE)) return is_even(c) ? c : c + 1;
  if (in(c, 0x1E00, 0x1E95) || in(c, 0x1EA0, 0x1EFF)) return is_even(c) ? c + 1 : c;
  if (c == 0x1E9E) return 0xDF;  // capital sharp s
  if (in(c, 0xFF21, 0xFF3A)) return 'a' + (c - 0xFF21);
  if (in(c, 0xFF41, 0xFF5A)) return 'a' + (c - 0xFF41);
  return c;
}

bool is_hiragana(char32_t c) { return in(c, 0x3041, 0x309F); }

// Characters that are grammar wherever they stand: Chinese structural and
// modal particles, and Japanese case particles next to a kanji or katakana
// word (the boundary between a word and its particle). A bigram containing
// one spans a word boundary, e.g. 价格的 -> 格的, 価格が -> 格が. The price is
// that a few words containing such a character (目的) are not counted.
bool is_chinese_particle(char32_t c) {
  switch (c) {
    case U'的':
    case U'了':
    case U'吗':
    case U'呢':
    case U'吧':
    case U'啊':
    case U'呀':
    case U'嘛':
      return true;
    default:
      return false;
  }
}

bool is_japanese_particle(char32_t c) {
  switch (c) {
    case U'の':
    case U'は':
    case U'が':
    case U'を':
    case U'に':
    case U'で':
    case U'と':
    case U'も':
    case U'へ':
      return true;
    default:
      return false;
  }
}

bool spans_word_boundary(char32_t first, char32_t second) {
  if (is_chinese_particle(first) || is_chinese_particle(second)) return true;
  if (is_japanese_particle(first) && !is_hiragana(second)) return true;
  if (is_japanese_particle(second) && !is_hiragana(first)) return true;
  return false;
}

enum class script { kanji, hiragana, katakana };

script script_of(char32_t c) {
  if (in(c, 0x3041, 0x309F)) return script::hiragana;
  if (in(c, 0x30A1, 0x30FF) || in(c, 0x31F0, 0x31FF) || in(c, 0xFF66, 0xFF9F)) {
    return script::katakana;
  }
  return script::kanji;
}

bool is_prolonged_sound_mark(char32_t c) { return c == 0x30FC || c == 0xFF70; }

// Japanese writes a word as kanji followed by its hiragana endings
// (okurigana), loanwords in katakana, and grammar in hiragana. So a change of
// script is a word boundary except kanji -> hiragana (素晴らしい, 高い), and
// the long-vowel mark belongs to whatever it follows (すごーい).
bool japanese_boundary(char32_t first, char32_t second) {
  if (spans_word_boundary(first, second)) return true;
  if (is_prolonged_sound_mark(second)) return false;
  const script left = script_of(first);
  const script right = script_of(second);
  return left != right && !(left == script::kanji && right == script::hiragana);
}

// Copulas, polite endings and sentence-final or linking particles that end a
// chunk without being part of its word: 丁寧でしたね -> 丁寧.
constexpr std::u32string_view japanese_endings[] = {
    U"ございました", U"ございます", U"でしょう", U"けれど", U"でした", U"ました", U"ません",
    U"だった",       U"です",       U"ます",     U"けど",   U"ので",   U"から",   U"のに",
    U"だ",           U"が",         U"ね",       U"よ",     U"な",     U"か",     U"わ"};

// A particle right after a kanji or katakana word stands alone: 特になし is
// 特, に, なし, not 特, になし.
bool ends_particle_after_word(char32_t before, char32_t particle) {
  return is_japanese_particle(particle) && script_of(before) != script::hiragana;
}

bool is_japanese_ending(std::u32string_view chunk) {
  return std::find(std::begin(japanese_endings), std::end(japanese_endings), chunk) !=
         std::end(japanese_endings);
}

// Strips endings while at least two characters remain, so a short word that
// happens to end like one (まだ) is left whole.
std::u32string_view without_japanese_endings(std::u32string_view chunk) {
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (const std::u32string_view ending : japanese_endings) {
      if (chunk.size() >= ending.size() + 2 &&
          chunk.substr(chunk.size() - ending.size()) == ending) {
        chunk.remove_suffix(ending.size());
        stripped = true;
        break;
      }
    }
  }
  return chunk;
}

// Function characters that no Chinese word or phrase starts (first) or ends
// (second) with: a candidate such as 客服很 (from 客服很好, 客服很慢) is a
// word plus grammar, not a theme. Negations and degree words may start one
// (不方便, 太贵), and a few nouns start with a particle-like character (在线).
bool starts_no_chinese_phrase(char32_t c) {
  switch (c) {
    case U'的':
    case U'了':
    case U'很':
    case U'也':
    case U'都':
    case U'就':
    case U'还':
    case U'又':
    case U'再':
    case U'和':
    case U'与':
    case U'而':
    case U'但':
    case U'及':
    case U'或':
    case U'吗':
    case U'呢':
    case U'吧':
    case U'啊':
    case U'呀':
    case U'嘛':
    case U'么':
    case U'们':
      return true;
    default:
      return false;
  }
}

bool ends_no_chinese_phrase(char32_t c) {
  if (starts_no_chinese_phrase(c) && c != U'们' && c != U'么') return true;
  switch (c) {
    case U'太':
    case U'非':
    case U'比':
    case U'把':
    case U'被':
    case U'让':
    case U'给':
    case U'从':
    case U'对':
    case U'向':
    case U'跟':
    case U'我':
    case U'你':
    case U'他':
    case U'她':
    case U'它':
    case U'不':
    case U'没':
    case U'有':
    case U'是':
    case U'在':
      return true;
    default:
      return false;
  }
}

bool is_kana(char32_t c) { return script_of(c) != script::kanji; }

// The tokenizer's buffers, kept from one comment to the next so that no
// comment costs an allocation.
struct token_buffers {
  byte_buffer word;
  std::vector<char32_t> run;
  // The run in UTF-8, and where each of its characters starts there (with the
  // end last): a Chinese run yields several candidate terms per character,
  // each then a view into it instead of an encoding of its own.
  byte_buffer run_text;
  std::vector<std::size_t> run_starts;
};

// Hands each candidate term to `emit` (a callable taking std::string_view) as
// soon as it is complete; the view is only valid during the call. Stop words
// are among the candidates: the caller drops them (detail::is_stop_word), so
// a caller that sees the same word often can remember the verdict.
template <typename Emit>
class tokenizer {
 public:
  tokenizer(Emit& emit, token_buffers& buffers)
      : emit_(emit),
        word_(buffers.word),
        run_(buffers.run),
        run_text_(buffers.run_text),
        run_starts_(buffers.run_starts) {
    word_.clear();
    clear_run();
  }

  void add(char32_t c) {
    switch (kind_of(c)) {
      case kind::letter:
        finish_run();
        append_utf8(word_, to_lower(c));
        ++word_letters_;
        break;
      case kind::kept_mark:
        if (word_letters_ > 0) append_utf8(word_, c);
        break;
      case kind::dropped_mark:
        break;
      case kind::cjk:
        finish_word();
        run_.push_back(c);
        run_starts_.push_back(run_text_.size());
        append_utf8(run_text_, c);
        break;
      case kind::separator:
        finish_word();
        finish_run();
        break;
    }
  }

  void finish() {
    finish_word();
    finish_run();
  }

  // What add() does for a run of ASCII letters, lower-cased at once: most
  // comments are mostly ASCII.
  void add_ascii_letters(const char* begin, const char* end) {
    finish_run();
    const auto letters = static_cast<std::size_t>(end - begin);
    // Setting bit 5 lower-cases an ASCII letter and keeps a lower-case one.
    char* const out = word_.extend(letters);
    for (std::size_t i = 0; i < letters; ++i) out[i] = static_cast<char>(begin[i] | 0x20);
    word_letters_ += letters;
  }

  // What add() does for an ASCII byte that is not a letter.
  void add_ascii_separator() {
    finish_word();
    finish_run();
  }

 private:
  // Single letters are initials, elided articles (l', d') and contraction
  // tails (n't -> t), never themes.
  void finish_word() {
    if (word_letters_ >= 2 && word_letters_ <= max_word_letters) {
      use_final_sigma(word_);
      emit_(word_.view());
    }
    word_.clear();
    word_letters_ = 0;
  }

  // Lower-casing maps every capital sigma to the medial form; a word ending
  // in sigma is written with the final form, as typed lower-case text is.
  static void use_final_sigma(byte_buffer& word) {
    const std::size_t size = word.size();
    if (size >= 4 && word[size - 2] == '\xCF' && word[size - 1] == '\x83') {
      word[word.size() - 1] = '\x82';
    }
  }

  // Called at every letter and separator; most of the time there is no run.
  void finish_run() {
    if (!run_.empty()) emit_run();
  }

  // CJK text has no spaces. Japanese marks its words by script, so a run is
  // cut into whole words (see japanese_boundary). Chinese gives no such hint:
  // every substring of up to max_chinese_phrase characters between particles
  // is a candidate, and theme_collector::top keeps only the maximal repeats,
  // so 客服很好 yields 客服 and 很好 as themes but never the fragment 服很.
  void emit_run() {
    const bool japanese = std::any_of(run_.begin(), run_.end(), is_kana);
    run_starts_.push_back(run_text_.size());
    std::size_t start = 0;
    for (std::size_t i = 1; i <= run_.size(); ++i) {
      const bool boundary =
          i == run_.size() ||
          (japanese ? japanese_boundary(run_[i - 1], run_[i]) ||
                          (i >= 2 && ends_particle_after_word(run_[i - 2], run_[i - 1]))
                    : spans_word_boundary(run_[i - 1], run_[i]));
      if (!boundary) continue;
      const std::u32string_view chunk(run_.data() + start, i - start);
      if (japanese) {
        emit_japanese(chunk, chunk.size() == run_.size());
      } else {
        emit_chinese(chunk);
      }
      start = i;
    }
    clear_run();
  }

  void clear_run() {
    run_.clear();
    run_text_.clear();
    run_starts_.clear();
  }

  // Grammar between words is not a word: a chunk that is only an ending
  // (でした after サービス) or only particles (への). A lone character is a
  // word only when it stands alone; inside a sentence it is an honorific
  // prefix (お客様 -> お, 客様) or a stem cut off by a particle (特になし).
  void emit_japanese(std::u32string_view chunk, bool whole_run) {
    if (is_japanese_ending(chunk)) return;
    if (std::all_of(chunk.begin(), chunk.end(), is_japanese_particle)) return;
    const std::u32string_view word = without_japanese_endings(chunk);
    if (is_japanese_ending(word)) return;  // でしたね
    if (word.size() > max_japanese_chunk || (word.size() == 1 && !whole_run)) return;
    emit_cjk(word);
  }

  void emit_chinese(std::u32string_view segment) {
    if (segment.size() == 1) {
      if (!is_chinese_particle(segment.front())) emit_cjk(segment);
      return;
    }
    for (std::size_t first = 0; first + 1 < segment.size(); ++first) {
      if (starts_no_chinese_phrase(segment[first])) continue;
      const std::size_t longest = std::min(max_chinese_phrase, segment.size() - first);
      for (std::size_t length = 2; length <= longest; ++length) {
        if (ends_no_chinese_phrase(segment[first + length - 1])) continue;
        emit_cjk(segment.substr(first, length));
      }
    }
  }

  // `characters` is a part of run_.
  void emit_cjk(std::u32string_view characters) {
    if (characters.empty()) return;
    const auto first = static_cast<std::size_t>(characters.data() - run_.data());
    const std::size_t begin = run_starts_[first];
    const std::size_t end = run_starts_[first + characters.size()];
    emit_(run_text_.view().substr(begin, end - begin));
  }

  Emit& emit_;
  byte_buffer& word_;
  std::size_t word_letters_ = 0;
  std::vector<char32_t>& run_;
  byte_buffer& run_text_;
  std::vector<std::size_t>& run_starts_;
};

using text::trim;

// Equal byte strings, compared with fixed-size loads (as detail::term_hash
// reads them) instead of a call to memcmp, which the WebAssembly build cannot
// inline: the term table compares a key per word, and a term with fewer than
// max_examples examples compares them with every comment that has it.
bool same_text(std::string_view a, std::string_view b) {
  const std::size_t size = a.size();
  if (b.size() != size) return false;
  using detail::load4;
  using detail::load8;
  const char* const x = a.data();
  const char* const y = b.data();
  if (size >= 8) {
    for (std::size_t at = 0; at + 8 <= size; at += 8) {
      if (load8(x + at) != load8(y + at)) return false;
    }
    return load8(x + size - 8) == load8(y + size - 8);
  }
  if (size >= 4) {
    return load4(x) == load4(y) && load4(x + size - 4) == load4(y + size - 4);
  }
  for (std::size_t at = 0; at < size; ++at) {
    if (x[at] != y[at]) return false;
  }
  return true;
}

std::size_t slot(category group) { return static_cast<std::size_t>(group); }

bool has_example(const std::vector<std::shared_ptr<const std::string>>& examples,
                 std::string_view text) {
  for (const auto& existing : examples) {
    if (same_text(*existing, text)) return true;
  }
  return false;
}

void add_example(std::vector<std::shared_ptr<const std::string>>& examples,
                 const std::shared_ptr<const std::string>& text) {
  if (examples.size() < max_examples && !has_example(examples, *text)) examples.push_back(text);
}

// Smoothed log-odds ratio of the share of this category's comments that
// contain the term against the same share in the other categories:
//   score = ln((a + 1/2) / (N - a + 1/2)) - ln((b + 1/2) / (M - b + 1/2))
// a of N comments in the category, b of M comments elsewhere. The 1/2
// (Haldane-Anscombe) keeps the ratio finite when a term never appears on one
// side. The logarithm is the core's reproducible one, so native, WebAssembly
// and wasm2js builds print the same digits; rounded to 6 decimals so ties
// between equal ratios are exact.
double distinctiveness(double a, double n, double b, double m) {
  const double score = detail::reproducible_log((a + 0.5) / (n - a + 0.5)) -
                       detail::reproducible_log((b + 0.5) / (m - b + 0.5));
  return std::round(score * 1e6) / 1e6;
}

struct candidate {
  double score;
  std::uint64_t count;
  std::string_view term;
  const std::vector<std::shared_ptr<const std::string>>* examples;
};

template <typename Emit>
void for_each_term(std::string_view comment, Emit emit) {
  // Per thread: the collector's threads read comments at once.
  thread_local token_buffers buffers;
  tokenizer<Emit> words(emit, buffers);
  const auto is_ascii_letter = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  const auto is_ascii = [](char c) { return static_cast<unsigned char>(c) < 0x80; };
  std::size_t position = 0;
  while (position < comment.size()) {
    const char byte = comment[position];
    if (!is_ascii(byte)) {
      const char32_t c = decode(comment, position);
      words.add(c == invalid_code_point ? U' ' : c);
      continue;
    }
    // Whole ASCII runs at once: letters extend the word, and after one
    // separator the next ones change nothing.
    const std::size_t start = position;
    if (is_ascii_letter(byte)) {
      while (position < comment.size() && is_ascii_letter(comment[position])) ++position;
      words.add_ascii_letters(comment.data() + start, comment.data() + position);
    } else {
      while (position < comment.size() && is_ascii(comment[position]) &&
             !is_ascii_letter(comment[position])) {
        ++position;
      }
      words.add_ascii_separator();
    }
  }
  words.finish();
}

// Byte offsets at which the UTF-8 characters of a valid string start, and
// its size at the end.
std::vector<std::size_t> character_starts(std::string_view text) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0u) != 0x80u) starts.push_back(i);
  }
  starts.push_back(text.size());
  return starts;
}

bool is_cjk_term(std::string_view term) {
  std::size_t position = 0;
  while (position < term.size()) {
    if (kind_of(decode(term, position)) != kind::cjk) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> comment_terms(std::string_view comment) {
  std::vector<std::string> terms;
  for_each_term(comment, [&terms](std::string_view term) {
    if (!detail::is_stop_word(term)) terms.emplace_back(term);
  });
  return terms;
}

std::string_view theme_collector::key(const term_stats& stats) const {
  return std::string_view(keys_.data() + stats.key_offset, stats.key_size);
}

theme_collector::term_stats& theme_collector::entry(std::string_view term, std::size_t hash) {
  const auto tag = static_cast<std::uint32_t>(hash);
  if (slots_.empty()) grow();
  const std::size_t mask = slots_.size() - 1;
  std::size_t at = hash & mask;
  for (;; at = (at + 1) & mask) {
    const bucket found = slots_[at];
    if (found.entry == 0) break;
    if (found.hash == tag && same_text(key(entries_[found.entry - 1]), term)) {
      return entries_[found.entry - 1];
    }
  }
  term_stats stats;
  stats.key_offset = keys_.size();
  stats.key_size = term.size();
  stats.stop_word = detail::is_stop_word(term);
  keys_.append(term);
  entries_.push_back(std::move(stats));
  slots_[at] = {tag, static_cast<std::uint32_t>(entries_.size())};
  if (entries_.size() * 2 > slots_.size()) grow();
  return entries_.back();
}

std::size_t theme_collector::find(std::string_view term) const {
  if (slots_.empty()) return entries_.size();
  const std::size_t hash = detail::term_hash(term);
  const auto tag = static_cast<std::uint32_t>(hash);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
    const bucket found = slots_[at];
    if (found.entry == 0) return entries_.size();
    if (found.hash == tag && same_text(key(entries_[found.entry - 1]), term)) {
      return found.entry - 1;
    }
  }
}

// The stored part of the hash is its low 32 bits, the only ones a table of
// fewer than 2^32 slots indexes by, so the terms are not hashed again.
void theme_collector::grow() {
  std::vector<bucket> old(slots_.empty() ? 64 : slots_.size() * 2);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const bucket moved : old) {
    if (moved.entry == 0) continue;
    std::size_t at = moved.hash & mask;
    while (slots_[at].entry != 0) at = (at + 1) & mask;
    slots_[at] = moved;
  }
}

// Blank comments are not comments: they would dilute every share.
void theme_collector::add(category group, std::string_view comment) {
  const std::string_view text = trim(comment);
  if (text.empty()) return;
  const std::size_t index = slot(group);
  ++comment_counts_[index];
  // The count only grows (merges add to it), so it numbers every added comment
  // apart from all earlier ones.
  const std::uint64_t comment_number = comments();
  std::shared_ptr<const std::string> shared_text;
  for_each_term(text, [&](std::string_view term) {
    term_stats& stats = entry(term, detail::term_hash(term));
    // A term counts once per comment: the statistic is comment frequency.
    if (stats.stop_word || stats.last_comment == comment_number) return;
    stats.last_comment = comment_number;
    ++stats.counts[index];
    // Compared before copying: most comments are no new example.
    auto& examples = stats.examples[index];
    if (examples.size() < max_examples && !has_example(examples, text)) {
      if (!shared_text) shared_text = std::make_shared<const std::string>(text);
      examples.push_back(shared_text);
    }
  });
}

// Safe when other is *this: no term is new, and every example is already
// present, so no vector being iterated grows.
void theme_collector::merge(const theme_collector& other) {
  for (std::size_t position = 0; position < other.entries_.size(); ++position) {
    if (other.entries_[position].stop_word) continue;
    const std::string_view term = other.key(other.entries_[position]);
    term_stats& mine = entry(term, detail::term_hash(term));
    // Looked up again: inserting into *this may have moved other's entries.
    const term_stats& theirs = other.entries_[position];
    for (std::size_t index = 0; index < 3; ++index) {
      mine.counts[index] += theirs.counts[index];
      for (const auto& example : theirs.examples[index]) add_example(mine.examples[index], example);
    }
  }
  for (std::size_t index = 0; index < 3; ++index) {
    comment_counts_[index] += other.comment_counts_[index];
  }
}

// The CJK terms that are not maximal repeats: inside a longer term found in
// exactly as many comments, so every comment that has the shorter one has it
// inside the longer (服很好 and 客服 inside 客服很好 when those always come
// together). Only the longest form of a repeat is a theme; a substring that
// also stands in other contexts (客服 in 客服很好 and 客服态度) is found in
// more comments and stays.
std::vector<bool> theme_collector::fragment_terms() const {
  std::vector<bool> fragments(entries_.size());
  for (const term_stats& stats : entries_) {
    const std::string_view term = key(stats);
    if (stats.stop_word || term.size() < 6 || static_cast<unsigned char>(term.front()) < 0xE0 ||
        !is_cjk_term(term)) {
      continue;
    }
    const std::uint64_t support = stats.counts[0] + stats.counts[1] + stats.counts[2];
    const std::vector<std::size_t> starts = character_starts(term);
    const std::size_t characters = starts.size() - 1;
    for (std::size_t first = 0; first < characters; ++first) {
      for (std::size_t last = first + 1; last <= characters; ++last) {
        if (last - first == characters) continue;
        const std::size_t found = find(term.substr(starts[first], starts[last] - starts[first]));
        if (found == entries_.size() || entries_[found].stop_word) continue;
        const auto& counts = entries_[found].counts;
        if (counts[0] + counts[1] + counts[2] == support) fragments[found] = true;
      }
    }
  }
  return fragments;
}

std::uint64_t theme_collector::comments() const {
  return comment_counts_[0] + comment_counts_[1] + comment_counts_[2];
}

// A term is a theme of a category when at least two of its comments use it
// and, if other categories have comments at all, a larger share of this
// category's comments use it than of the others'. With no other comments to
// contrast with, the score still ranks the most frequent terms first.
category_themes theme_collector::top(std::size_t limit) const {
  category_themes out;
  if (limit == 0) return out;
  const std::vector<bool> fragments = fragment_terms();
  const std::uint64_t total = comments();
  std::vector<theme>* const targets[3] = {&out.detractors, &out.passives, &out.promoters};
  for (std::size_t index = 0; index < 3; ++index) {
    const std::uint64_t inside_total = comment_counts_[index];
    const std::uint64_t outside_total = total - inside_total;
    const double n = static_cast<double>(inside_total);
    const double m = static_cast<double>(outside_total);
    std::vector<candidate> candidates;
    for (std::size_t position = 0; position < entries_.size(); ++position) {
      const term_stats& stats = entries_[position];
      const std::uint64_t inside = stats.counts[index];
      if (inside < 2 || stats.stop_word || fragments[position]) continue;
      const std::uint64_t outside = stats.counts[0] + stats.counts[1] + stats.counts[2] - inside;
      const double a = static_cast<double>(inside);
      const double b = static_cast<double>(outside);
      if (outside_total > 0 && !(a / n > b / m)) continue;
      candidates.push_back(
          {distinctiveness(a, n, b, m), inside, key(stats), &stats.examples[index]});
    }
    const auto order = [](const candidate& x, const candidate& y) {
      if (x.score != y.score) return x.score > y.score;
      if (x.count != y.count) return x.count > y.count;
      return x.term < y.term;
    };
    const std::size_t kept = std::min(limit, candidates.size());
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(kept),
                      candidates.end(), order);
    std::vector<theme>& themes = *targets[index];
    themes.reserve(kept);
    for (std::size_t i = 0; i < kept; ++i) {
      theme item;
      item.term = std::string(candidates[i].term);
      item.count = candidates[i].count;
      item.score = candidates[i].score;
      for (const auto& example : *candidates[i].examples) item.examples.push_back(*example);
      themes.push_back(std::move(item));
    }
  }
  return out;
}

}  // namespace npskit
