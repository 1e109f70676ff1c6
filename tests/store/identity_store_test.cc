// The audit log and user administration on SQLite (issue 4): records appended in write units
// form a chain the verifier accepts and names the first edited record of; the auditor's list
// filters by actor, object and time with a keyset cursor; user updates and session ends.
#include <sqlite3.h>

#include "core/audit/audit_chain.h"
#include "crypto/sodium_crypto.h"
#include "store_test_support.h"

namespace civicgrid::store_test {
namespace {

AuditRecord Record(UserId actor, std::string action, std::string type, std::string id, TimeMs at) {
  Actor a;
  a.user_id = actor;
  a.username = "user" + std::to_string(actor);
  a.remote_address = "127.0.0.1";
  AuditRecord r = AuditOf(a, at, std::move(action), std::move(type), std::move(id));
  r.after = R"({"status":"reported"})";
  return r;
}

class IdentityStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = factory_.Open();
    ASSERT_TRUE(store.has_value()) << store.error().message;
    store_ = std::move(*store);
  }
  void Append(const AuditRecord& r) {
    ASSERT_TRUE(
        Write(*store_, [&](WriteTx& tx) { return AppendAuditRecord(tx, crypto_, r); }).ok());
  }
  std::vector<BrokenAuditLink> Verify() {
    AuditChainVerifier verifier(crypto_);
    EXPECT_TRUE(store_
                    ->ScanAudit([&](const AuditRecord& r) {
                      verifier.Add(r);
                      return true;
                    })
                    .ok());
    return verifier.broken();
  }

  SqliteFactory factory_;
  SodiumCrypto crypto_;
  std::unique_ptr<Store> store_;
};

TEST_F(IdentityStoreTest, AppendedRecordsFormAChainAndAnEditBreaksIt) {
  for (int i = 1; i <= 5; ++i) {
    Append(Record(i % 2 + 1, "event.create", "event", std::to_string(i), 1000 * i));
  }
  EXPECT_TRUE(Verify().empty());
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(factory_.path().c_str(), &db), SQLITE_OK);
  // The trigger refuses an edit; an attacker drops it first.
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit_log SET actor_name = 'x' WHERE seq = 3", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER audit_log_no_update;"
                         "UPDATE audit_log SET after = '{}' WHERE seq = 3",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  SetUp();
  auto broken = Verify();
  ASSERT_EQ(broken.size(), 1u);
  EXPECT_EQ(broken[0].seq, 3);
}

TEST_F(IdentityStoreTest, ListsAuditRecordsByActorObjectAndTimeNewestFirst) {
  for (int i = 1; i <= 6; ++i) {
    Append(Record(i <= 3 ? 7 : 8, i % 2 ? "event.create" : "user.update", i % 2 ? "event" : "user",
                  std::to_string(i), 1000 * i));
  }
  AuditQuery q;
  q.actor_id = 7;
  auto page = store_->ListAudit(q);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].seq, 3);
  EXPECT_EQ(page->items[2].seq, 1);

  q = {};
  q.object_type = "user";
  q.object_id = "4";
  page = store_->ListAudit(q);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].seq, 4);

  q = {};
  q.from = 2000;
  q.to = 5000;  // [2000, 5000): seq 2, 3, 4
  q.limit = 2;
  page = store_->ListAudit(q);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_TRUE(page->has_more);
  EXPECT_EQ(page->items[0].seq, 4);
  q.before_seq = page->items.back().seq;
  page = store_->ListAudit(q);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_FALSE(page->has_more);
  EXPECT_EQ(page->items[0].seq, 2);
}

TEST_F(IdentityStoreTest, UpdatesUsersAndEndsTheirSessions) {
  User u;
  u.username = "chen.qi";
  u.password_hash = "h";
  u.roles = {Role::kCitizen};
  ASSERT_TRUE(Write(*store_, [&](WriteTx& tx) { return tx.InsertUser(u); }).ok());
  ASSERT_TRUE(Write(*store_, [&](WriteTx& tx) {
                return tx.InsertSession(Session{"token-hash", u.id, 1, 1000000000000000});
              }).ok());
  User changed = u;
  changed.display_name = "陈七";
  changed.roles = {Role::kAuditor, Role::kAdmin};
  changed.disabled = true;
  changed.must_change_password = true;
  ASSERT_TRUE(Write(*store_, [&](WriteTx& tx) -> Status {
                if (auto s = tx.UpdateUser(changed); !s) return s;
                return tx.DeleteUserSessions(u.id);
              }).ok());
  auto read = store_->FindUser(u.id);
  ASSERT_TRUE(read.has_value() && read->has_value());
  EXPECT_EQ((*read)->display_name, "陈七");
  EXPECT_TRUE((*read)->roles.Has(Role::kAdmin));
  EXPECT_TRUE((*read)->disabled);
  EXPECT_TRUE((*read)->must_change_password);
  auto session = store_->FindSession("token-hash");
  ASSERT_TRUE(session.has_value());
  EXPECT_FALSE(session->has_value());
  User missing = u;
  missing.id = 999999;
  auto s = Write(*store_, [&](WriteTx& tx) { return tx.UpdateUser(missing); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);

  UserQuery q;
  q.limit = 10;
  auto page = store_->ListUsers(q);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->items.size(), 1u);
  q.region_code = "9999";  // no region has this code: nobody
  page = store_->ListUsers(q);
  EXPECT_TRUE(page->items.empty());
}

}  // namespace
}  // namespace civicgrid::store_test
