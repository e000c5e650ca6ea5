#include "generate/secrets.h"

#include <fmt/format.h>
#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <set>

#include "generate/context.h"
#include "registry/interpolation.h"
#include "util/file.h"
#include "util/strings.h"

namespace fusion {

Result<SecretStore> parse_secret_store(std::string_view text) {
  SecretStore store;
  size_t number = 0;
  for (std::string_view line : split(text, '\n')) {
    ++number;
    if (line.empty() || line.front() == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return Error{fmt::format("line {}: expected name=value", number)};
    }
    store[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
  }
  return store;
}

std::string render_secret_store(const SecretStore& store) {
  std::string out =
      "# fusion's secret values: never commit this file. `fusion secrets` adds missing ones.\n";
  for (const auto& [name, value] : store) out += name + "=" + value + "\n";
  return out;
}

std::vector<std::string> secrets_used(const Registry& registry) {
  std::set<std::string> names;
  for (const Service& s : registry.services) {
    for (const EnvVar& var : s.env) {
      if (var.secret) names.insert(var.secret->value);
      for (const Reference& ref : scan_references(var.value).references) {
        if (ref.kind == Reference::Kind::kSecret) names.insert(ref.name);
      }
    }
  }
  for (const FileSource& secret : registry.secrets) {  // mounted as files, from the store
    if (secret.from_store() && !secret.external) names.insert(secret.name.value);
  }
  return {names.begin(), names.end()};
}

std::vector<std::string> store_secret_files(const Registry& registry) {
  std::set<std::string> mounted;
  for (const Service& s : registry.services) {
    for (const FileMount& m : s.secrets) mounted.insert(m.source.value);
  }
  std::vector<std::string> names;
  for (const FileSource& secret : registry.secrets) {
    if (secret.from_store() && !secret.external && mounted.contains(secret.name.value)) {
      names.push_back(secret.name.value);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::string> new_secret_value() {
  std::array<unsigned char, 32> bytes{};
  size_t got = 0;
  while (got < bytes.size()) {
    ssize_t n = ::getrandom(bytes.data() + got, bytes.size() - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{std::string("getrandom: ") + std::strerror(errno)};
    got += static_cast<size_t>(n);
  }
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 63];
  return out;
}

std::vector<std::pair<std::string, std::string>> service_secret_values(const Service& service,
                                                                       const SecretStore& store) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : split_env(service).secret_templates) {
    out.emplace_back(name,
                     substitute(value, [&](const Reference& ref) -> std::optional<std::string> {
                       if (ref.kind == Reference::Kind::kSecret) {
                         auto it = store.find(ref.name);
                         return it == store.end() ? "" : it->second;
                       }
                       return ref.has_default ? ref.default_value : "";
                     }));
  }
  return out;
}

std::string render_service_secrets(const Service& service, const SecretStore& store) {
  std::string out;
  for (const auto& [name, value] : service_secret_values(service, store)) {
    out += name + "=" + value + "\n";
  }
  return out;
}

namespace fs = std::filesystem;

Result<UpdatedSecretStore> update_secret_store(const Registry& registry, const fs::path& dir) {
  constexpr unsigned kPrivate = 0600;
  fs::path path = dir / kSecretStoreFile;
  UpdatedSecretStore result;
  if (fs::exists(path)) {
    auto text = read_file(path);
    if (!text) return Error{text.error()};
    auto parsed = parse_secret_store(*text);
    if (!parsed) return Error{path.string() + ": " + parsed.error()};
    result.store = std::move(parsed).value();
  }
  for (const std::string& name : secrets_used(registry)) {
    if (result.store.contains(name)) continue;
    auto value = new_secret_value();
    if (!value) return Error{value.error()};
    result.store[name] = std::move(value).value();
    result.created.push_back(name);
  }
  if (result.created.empty()) return result;
  std::error_code ec;
  fs::create_directories(dir, ec);
  fs::permissions(dir, fs::perms::owner_all, ec);
  if (!fs::exists(dir / ".gitignore")) {
    if (Status ok = write_file_atomically(dir / ".gitignore", "*\n"); !ok) return Error{ok.error()};
  }
  if (Status ok = write_file_atomically(path, render_secret_store(result.store), kPrivate); !ok) {
    return Error{ok.error()};
  }
  return result;
}

}  // namespace fusion
