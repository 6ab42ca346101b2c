#include "npskit/rating_aggregate.h"

#include "npskit/text.h"

namespace npskit {
namespace {

// FNV-1a over the id as the collector stores it (trimmed, lower case): ids
// are UUIDs, whose 64-bit hashes do not collide in any realistic export.
std::uint64_t id_hash(std::string_view id) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : text::trim(id)) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    hash ^= static_cast<unsigned char>(lower);
    hash *= 1099511628211ULL;
  }
  return hash;
}

void add_ratings(rating_pair& target, int csat, int ces) {
  // Values were checked by rating_aggregate::check before anything was added.
  if (csat != 0) static_cast<void>(target.csat.add(csat));
  if (ces != 0) static_cast<void>(target.ces.add(ces));
}

}  // namespace

void rating_pair::merge(const rating_pair& other) {
  static_cast<void>(csat.merge(other.csat));
  static_cast<void>(ces.merge(other.ces));
}

status rating_aggregate::check(const record_view& value) {
  if (value.csat != 0) {
    status valid = check_rating(rating_metric::csat, value.csat);
    if (!valid) return valid;
  }
  if (value.ces != 0) return check_rating(rating_metric::ces, value.ces);
  return ok{};
}

void rating_aggregate::add(const record_view& value, bool grouping,
                           const std::optional<std::string>& key) {
  if (value.type == record_type::dismissal) return;
  add_ratings(overall_, value.csat, value.ces);
  if (!value.answer_id.empty()) {
    ++companions_;
    if (grouping) {
      pending_.push_back(companion{id_hash(value.answer_id), key, value.csat, value.ces});
    }
    return;
  }
  if (!grouping) return;
  if (key) add_ratings(direct_[*key], value.csat, value.ces);
  if (!value.id.empty()) answer_keys_[id_hash(value.id)] = key;
}

void rating_aggregate::merge(const rating_aggregate& other) {
  overall_.merge(other.overall_);
  for (const auto& [key, pair] : other.direct_) direct_[key].merge(pair);
  pending_.insert(pending_.end(), other.pending_.begin(), other.pending_.end());
  for (const auto& [hash, key] : other.answer_keys_) answer_keys_.emplace(hash, key);
  companions_ += other.companions_;
}

void rating_aggregate::add_counted(const std::optional<std::string>& key,
                                   const rating_pair& counted) {
  overall_.merge(counted);
  if (key) direct_[*key].merge(counted);
}

std::map<std::string, rating_pair> rating_aggregate::groups() const {
  std::map<std::string, rating_pair> out = direct_;
  for (const companion& item : pending_) {
    const auto answer = answer_keys_.find(item.answer);
    const std::optional<std::string>& key =
        answer != answer_keys_.end() ? answer->second : item.own_key;
    if (key) add_ratings(out[*key], item.csat, item.ces);
  }
  return out;
}

std::uint64_t rating_aggregate::joined() const {
  std::uint64_t count = 0;
  for (const companion& item : pending_) {
    if (answer_keys_.count(item.answer) != 0) ++count;
  }
  return count;
}

}  // namespace npskit
