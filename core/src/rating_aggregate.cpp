#include "npskit/rating_aggregate.h"

#include <unordered_map>
#include <unordered_set>

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

rating_aggregate::group_number rating_aggregate::number_of(std::optional<std::string_view> key) {
  if (!key) return no_group;
  // Rows of one group tend to come together (an export sorted by date).
  if (last_key_ != no_group && keys_[last_key_] == *key) return last_key_;
  auto found = key_indexes_.find(*key);
  if (found == key_indexes_.end()) {
    found = key_indexes_.emplace(std::string(*key), static_cast<key_index>(keys_.size())).first;
    keys_.emplace_back(*key);
  }
  last_key_ = found->second;
  return last_key_;
}

void rating_aggregate::add(const record_view& value, bool grouping, group_number group) {
  if (value.type == record_type::dismissal) return;
  add_ratings(overall_, value.csat, value.ces);
  if (!value.answer_id.empty()) {
    ++companions_;
    if (grouping) {
      pending_.push_back(companion{id_hash(value.answer_id), group, value.csat, value.ces});
    }
    return;
  }
  if (!grouping) return;
  const bool rated = value.csat != 0 || value.ces != 0;
  if (!rated && value.id.empty()) return;
  if (rated && group != no_group) {
    if (direct_.size() <= group) direct_.resize(group + std::size_t{1});
    add_ratings(direct_[group], value.csat, value.ces);
  }
  if (!value.id.empty()) {
    answer_hashes_.push_back(id_hash(value.id));
    answer_groups_.push_back(group);
  }
}

// The other side's answers come after this side's, so where both hold an
// answer with the same id, the other side's is the match.
void rating_aggregate::merge(const rating_aggregate& other) {
  overall_.merge(other.overall_);
  std::vector<key_index> mapped(other.keys_.size());
  for (std::size_t i = 0; i < other.keys_.size(); ++i) mapped[i] = number_of(other.keys_[i]);
  const auto map = [&mapped](key_index group) {
    return group == no_group ? no_group : mapped[group];
  };
  for (std::size_t i = 0; i < other.direct_.size(); ++i) {
    const key_index group = mapped[i];
    if (direct_.size() <= group) direct_.resize(group + std::size_t{1});
    direct_[group].merge(other.direct_[i]);
  }
  pending_.reserve(pending_.size() + other.pending_.size());
  for (companion item : other.pending_) {
    item.own_key = map(item.own_key);
    pending_.push_back(item);
  }
  const std::size_t count = other.answer_hashes_.size();
  answer_hashes_.reserve(answer_hashes_.size() + count);
  answer_groups_.reserve(answer_groups_.size() + count);
  for (std::size_t i = 0; i < count; ++i) {
    answer_hashes_.push_back(other.answer_hashes_[i]);
    answer_groups_.push_back(map(other.answer_groups_[i]));
  }
  companions_ += other.companions_;
}

void rating_aggregate::add_counted(const std::optional<std::string>& key,
                                   const rating_pair& counted) {
  overall_.merge(counted);
  if (!key) return;
  const key_index group = number_of(*key);
  if (direct_.size() <= group) direct_.resize(group + std::size_t{1});
  direct_[group].merge(counted);
}

// One pass over the answers, looking each up among the companions' answer
// ids only: the companions are usually far fewer than the answers.
std::vector<rating_aggregate::key_index> rating_aggregate::companion_groups() const {
  constexpr key_index unmatched = no_group - 1;
  std::unordered_map<std::uint64_t, key_index> wanted;
  wanted.reserve(pending_.size());
  for (const companion& item : pending_) wanted.emplace(item.answer, unmatched);
  if (!wanted.empty()) {
    for (std::size_t i = 0; i < answer_hashes_.size(); ++i) {
      const auto found = wanted.find(answer_hashes_[i]);
      if (found != wanted.end()) found->second = answer_groups_[i];
    }
  }
  std::vector<key_index> out;
  out.reserve(pending_.size());
  for (const companion& item : pending_) {
    const key_index joined = wanted.at(item.answer);
    out.push_back(joined == unmatched ? item.own_key : joined);
  }
  return out;
}

std::map<std::string, rating_pair> rating_aggregate::groups() const {
  std::map<std::string, rating_pair> out;
  for (std::size_t i = 0; i < direct_.size(); ++i) out[keys_[i]].merge(direct_[i]);
  const std::vector<key_index> joined = companion_groups();
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    if (joined[i] != no_group)
      add_ratings(out[keys_[joined[i]]], pending_[i].csat, pending_[i].ces);
  }
  return out;
}

std::uint64_t rating_aggregate::joined() const {
  std::unordered_set<std::uint64_t> answers(answer_hashes_.begin(), answer_hashes_.end());
  std::uint64_t count = 0;
  for (const companion& item : pending_) {
    if (answers.count(item.answer) != 0) ++count;
  }
  return count;
}

}  // namespace npskit
