-- Adds 200,000 generated records (ids 1000-200999, every kind, events from
-- 2017 to 2026) and a dispute hold on every 50th to a database made from
-- sample.sql, to measure a sweep:
--
--   sqlite3 /tmp/bulk.db < examples/retention_sweeper/sample.sql
--   sqlite3 /tmp/bulk.db < examples/retention_sweeper/bulk.sql
WITH RECURSIVE n(i) AS (SELECT 1000 UNION ALL SELECT i + 1 FROM n WHERE i < 200999)
INSERT INTO records (id, kind, subject_id, summary, event_at)
SELECT i,
       CASE i % 6 WHEN 0 THEN 'inquiry' WHEN 1 THEN 'contract_transaction'
                  WHEN 2 THEN 'accounting' WHEN 3 THEN 'marketing'
                  WHEN 4 THEN 'web_access' ELSE 'training_seminar' END,
       'c-' || i, 'generated',
       strftime('%Y-%m-%dT%H:%M:%S+09:00', '2017-01-01', '+' || (i % 3400) || ' days')
  FROM n;

INSERT INTO holds (id, record_id, type, until, note)
SELECT 'hb-' || id, id, 'dispute', NULL, 'generated' FROM records WHERE id % 50 = 0;
