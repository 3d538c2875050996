-- A sample database for retention_sweeper: records of every retention kind
-- of clause 7 and the holds (保存期間の例外) that keep some past their period.
--
--   sqlite3 /tmp/sweep.db < examples/retention_sweeper/sample.sql
--
-- Times are RFC 3339 text. event_at is the event that starts the kind's
-- clock: the inquiry, the end of the contract (NULL while it runs), the
-- transaction (accounting), the last contact, the acquisition, the seminar.

PRAGMA foreign_keys = ON;

CREATE TABLE records (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,   -- a retention kind id of the policy
  subject_id TEXT NOT NULL,   -- the customer the record is about
  summary    TEXT NOT NULL,
  event_at   TEXT             -- NULL: the clock has not started
);

-- A reason to keep a record past its period: "legal_obligation", "dispute"
-- or "consent". until NULL: the hold has no end yet.
CREATE TABLE holds (
  id        TEXT PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
  type      TEXT NOT NULL,
  until     TEXT,
  note      TEXT NOT NULL
);

-- The sweep finds each record's holds, and a deleted record's holds go
-- with it, by record_id.
CREATE INDEX holds_by_record ON holds(record_id);

INSERT INTO records (id, kind, subject_id, summary, event_at) VALUES
  (1,  'inquiry',              'c-101', '料金プランのお問い合わせ',     '2023-05-10T14:00:00+09:00'),
  (2,  'inquiry',              'c-102', '請求書再発行のお問い合わせ',   '2023-05-11T09:30:00+09:00'),
  (3,  'inquiry',              'c-103', 'Inquiry by web form (UTC)',    '2023-05-10T16:00:00Z'),
  (4,  'inquiry',              'c-104', '解約に関するご相談',           '2022-01-15T10:00:00+09:00'),
  (5,  'contract_transaction', 'c-105', '保守契約 2016-2021',           '2021-03-31T18:00:00+09:00'),
  (6,  'contract_transaction', 'c-106', 'ライセンス契約 2018-2021',     '2021-06-30T12:00:00+09:00'),
  (7,  'contract_transaction', 'c-107', '年間サポート契約(継続中)',    NULL),
  (8,  'accounting',           'c-108', '請求書 INV-2018-0320',         '2018-03-20T10:00:00+09:00'),
  (9,  'accounting',           'c-109', '請求書 INV-2019-0315',         '2019-03-15T10:00:00+09:00'),
  (10, 'accounting',           'c-110', '請求書 INV-2018-1120',         '2018-11-20T10:00:00+09:00'),
  (11, 'accounting',           'c-111', '請求書 INV-2017-0801',         '2017-08-01T10:00:00+09:00'),
  (12, 'marketing',            'c-112', '展示会での名刺交換',           '2023-02-28T15:00:00+09:00'),
  (13, 'marketing',            'c-113', 'メルマガ購読',                 '2023-06-01T10:00:00+09:00'),
  (14, 'marketing',            'c-114', 'キャンペーン応募',             '2022-04-01T10:00:00+09:00'),
  (15, 'web_access',           'c-115', 'アクセスログ 2024-05-10',      '2024-05-10T23:59:59+09:00'),
  (16, 'web_access',           'c-116', 'アクセスログ 2024-05-11',      '2024-05-11T00:00:00+09:00'),
  (17, 'web_access',           'c-117', 'アクセスログ 2023-01-10',      '2023-01-10T08:00:00+09:00'),
  (18, 'training_seminar',     'c-118', '個人情報保護セミナー 春',      '2025-05-10T13:00:00+09:00'),
  (19, 'training_seminar',     'c-119', '個人情報保護セミナー 夏',      '2025-06-01T13:00:00+09:00'),
  (20, 'inquiry',              'c-120', '製品不具合のご相談',           '2022-09-01T10:00:00+09:00'),
  (21, 'training_seminar',     'c-121', '新人研修 閏日',                '2024-02-29T09:00:00+09:00');

INSERT INTO holds (id, record_id, type, until, note) VALUES
  ('h-1', 4,  'legal_obligation', NULL,                        '裁判所の文書提出命令'),
  ('h-2', 11, 'legal_obligation', '2027-03-31T23:59:59+09:00', '税務調査の対象年度'),
  ('h-3', 14, 'dispute',          NULL,                        '景品表示に関する係争中'),
  ('h-4', 17, 'dispute',          '2026-01-31T00:00:00+09:00', '不正アクセス調査(解決済み)'),
  ('h-5', 20, 'consent',          NULL,                        'お客様のご希望により相談履歴を保存');
