#include "registry/yaml_tree.h"

#include <fmt/format.h>
#include <yaml.h>

#include <unordered_map>
#include <variant>

namespace fusion {

namespace {

/// Owns a libyaml parser for the length of one parse.
class Parser {
 public:
  explicit Parser(std::string_view text) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~Parser() { yaml_parser_delete(&parser_); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  /// The next event, or false with error() set.
  bool next(yaml_event_t& event) { return yaml_parser_parse(&parser_, &event) != 0; }

  YamlSyntaxError error() const {
    std::string message = parser_.problem ? parser_.problem : "malformed YAML";
    if (parser_.context) {
      message +=
          fmt::format(" ({} started on line {})", parser_.context, parser_.context_mark.line + 1);
    }
    return {static_cast<uint32_t>(parser_.problem_mark.line + 1),
            static_cast<uint32_t>(parser_.problem_mark.column + 1), message};
  }

 private:
  yaml_parser_t parser_;
};

/// Frees an event when it goes out of scope.
struct EventGuard {
  yaml_event_t& event;
  ~EventGuard() { yaml_event_delete(&event); }
};

bool is_null_text(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

}  // namespace

/// Turns events into nodes. Collections under construction sit on an explicit stack, so deep
/// input cannot overflow the C++ stack.
class YamlTreeBuilder {
 public:
  explicit YamlTreeBuilder(YamlDocument& doc) : doc_(doc) {}

  std::optional<YamlSyntaxError> add(const yaml_event_t& e) {
    switch (e.type) {
      case YAML_SCALAR_EVENT:
        return scalar(e);
      case YAML_ALIAS_EVENT:
        return alias(e);
      case YAML_SEQUENCE_START_EVENT:
        return open(e, YamlNode::Kind::kSequence, e.data.sequence_start.anchor);
      case YAML_MAPPING_START_EVENT:
        return open(e, YamlNode::Kind::kMap, e.data.mapping_start.anchor);
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        return close();
      default:
        return std::nullopt;
    }
  }

 private:
  YamlNode& make(const yaml_event_t& e, YamlNode::Kind kind) {
    YamlNode& n = doc_.nodes_->emplace_back();
    n.kind_ = kind;
    n.line_ = static_cast<uint32_t>(e.start_mark.line + 1);
    n.column_ = static_cast<uint32_t>(e.start_mark.column + 1);
    bool one_line = e.end_mark.line == e.start_mark.line && e.end_mark.column > e.start_mark.column;
    n.length_ = one_line ? static_cast<uint32_t>(e.end_mark.column - e.start_mark.column) : 1;
    return n;
  }

  std::optional<YamlSyntaxError> scalar(const yaml_event_t& e) {
    const auto& s = e.data.scalar;
    std::string_view text(reinterpret_cast<const char*>(s.value), s.length);
    bool plain = s.style == YAML_PLAIN_SCALAR_STYLE && s.tag == nullptr;
    YamlNode& n =
        make(e, plain && is_null_text(text) ? YamlNode::Kind::kNull : YamlNode::Kind::kScalar);
    n.scalar_ = std::string(text);
    n.plain_ = plain;
    remember_anchor(s.anchor, n);
    return attach(n);
  }

  std::optional<YamlSyntaxError> alias(const yaml_event_t& e) {
    std::string name = reinterpret_cast<const char*>(e.data.alias.anchor);
    auto it = anchors_.find(name);
    if (it == anchors_.end()) {
      return YamlSyntaxError{static_cast<uint32_t>(e.start_mark.line + 1),
                             static_cast<uint32_t>(e.start_mark.column + 1),
                             fmt::format("unknown anchor '*{}'", name)};
    }
    return attach(*it->second);
  }

  std::optional<YamlSyntaxError> open(const yaml_event_t& e, YamlNode::Kind kind,
                                      yaml_char_t* anchor) {
    if (stack_.size() >= YamlDocument::kMaxDepth) {
      return YamlSyntaxError{static_cast<uint32_t>(e.start_mark.line + 1),
                             static_cast<uint32_t>(e.start_mark.column + 1),
                             fmt::format("nesting deeper than {} levels", YamlDocument::kMaxDepth)};
    }
    YamlNode& n = make(e, kind);
    stack_.push_back({&n, nullptr, anchor ? reinterpret_cast<const char*>(anchor) : ""});
    return std::nullopt;
  }

  std::optional<YamlSyntaxError> close() {
    Open top = stack_.back();
    stack_.pop_back();
    if (top.node->IsMap()) apply_merge_keys(*top.node);
    if (!top.anchor.empty()) anchors_[top.anchor] = top.node;
    return attach(*top.node);
  }

  /// `<<: *base` or `<<: [*a, *b]`: the merged maps' entries, for keys this map does not set.
  static void apply_merge_keys(YamlNode& map) {
    std::vector<YamlNode::Entry> own, merged;
    for (const YamlNode::Entry& entry : map.entries_) {
      bool merge = entry.key->plain_ && entry.key->scalar_ == "<<";
      if (!merge) {
        own.push_back(entry);
        continue;
      }
      std::vector<const YamlNode*> sources;
      if (entry.value->IsMap()) sources.push_back(entry.value);
      for (const YamlNode* item : entry.value->items_) sources.push_back(item);
      for (const YamlNode* source : sources) {
        for (const YamlNode::Entry& e : source->entries_) merged.push_back(e);
      }
    }
    if (own.size() == map.entries_.size()) return;
    auto has = [&](const YamlNode* key) {
      for (const YamlNode::Entry& e : own) {
        if (e.key->scalar_ == key->scalar_) return true;
      }
      return false;
    };
    for (const YamlNode::Entry& e : merged) {
      if (!has(e.key)) own.push_back(e);
    }
    map.entries_ = std::move(own);
  }

  void remember_anchor(yaml_char_t* anchor, YamlNode& n) {
    if (anchor) anchors_[reinterpret_cast<const char*>(anchor)] = &n;
  }

  /// Adds a finished node to the collection being built, or makes it the root.
  std::optional<YamlSyntaxError> attach(const YamlNode& n) {
    if (stack_.empty()) {
      doc_.root_ = &n;
      return std::nullopt;
    }
    Open& top = stack_.back();
    top.node->expanded_ += n.expanded_;
    if (top.node->expanded_ > YamlDocument::kMaxExpandedNodes) {
      return YamlSyntaxError{
          n.line_, n.column_,
          "aliases expand to too many nodes (is this a 'billion laughs' document?)"};
    }
    if (top.node->IsSequence()) {
      top.node->items_.push_back(&n);
    } else if (!top.pending_key) {
      top.pending_key = &n;
    } else {
      top.node->entries_.push_back({top.pending_key, &n});
      top.pending_key = nullptr;
    }
    return std::nullopt;
  }

  struct Open {
    YamlNode* node;
    const YamlNode* pending_key;  ///< a map's key waiting for its value
    std::string anchor;           ///< set on the node when it closes
  };
  YamlDocument& doc_;
  std::vector<Open> stack_;
  std::unordered_map<std::string, const YamlNode*> anchors_;
};

std::variant<YamlDocument, YamlSyntaxError> YamlDocument::parse(std::string_view text) {
  YamlDocument doc;
  YamlTreeBuilder builder(doc);
  Parser parser(text);
  int documents = 0;
  while (true) {
    yaml_event_t event;
    if (!parser.next(event)) return parser.error();
    EventGuard guard{event};
    if (event.type == YAML_STREAM_END_EVENT) break;
    if (event.type == YAML_DOCUMENT_START_EVENT && ++documents > 1) {
      return YamlSyntaxError{static_cast<uint32_t>(event.start_mark.line + 1), 1,
                             "more than one YAML document; fusion reads exactly one"};
    }
    if (auto error = builder.add(event)) return *error;
  }
  if (!doc.root_) {
    YamlNode& empty = doc.nodes_->emplace_back();
    doc.root_ = &empty;
  }
  return doc;
}

}  // namespace fusion
