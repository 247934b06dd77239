-- mentor_bonus: bonus_accruals with hand-computed figures
\i tests/sql/fixture.psql

-- Ivan (1) has a fixed 5,000 RUB agreement and a certificate from 2026-01-10.
-- Boris from 2026-02-15 to 2026-03-15, Anna from 2026-03-10 on.
SELECT mentor.assign_pairing('production', 5, 1, '2026-02-15') AS b \gset
SELECT mentor.assign_pairing('production', 4, 1, '2026-03-10') AS a \gset
SELECT mentor.end_pairing(:b, 'completed', '2026-03-15', '2026-03-15');
-- a management pairing carries no bonus
SELECT mentor.assign_pairing('management', 6, 1, '2026-02-01') IS NOT NULL AS management;
-- the agreement turns out to start only on 1 March: a rule-checked write
-- refuses that (Boris's pairing started on it), so it is loaded as history
-- is restored, without re-judging the rules
SELECT public.expect($$UPDATE mentor.agreement SET valid_from = '2026-03-01', signed_on = '2026-03-01' WHERE number = 'MA-2026-00001'$$);
SET session_replication_role = replica;
UPDATE mentor.agreement SET valid_from = '2026-03-01', signed_on = '2026-03-01' WHERE number = 'MA-2026-00001';
RESET session_replication_role;

-- February: Boris's 14 days (15..28), no agreement in force: nothing.
-- March: Boris 15 days (1..15) + Anna 22 days (10..31) = 37 mentee-days;
--   37/31 = 1.1935 mentee-months; 5000 * 37 / 31 = 5967.74.
-- April: Anna all 30 days: 1 mentee-month, 5000.
SELECT * FROM mentor.bonus_accruals('2026-02-01', '2026-04-30');

-- a certificate revoked on 21 April ends Anna's pairing that day (a
-- revocation ends the pairings that need the certificate): 20 of April's
-- 21 mentee-days accrue, 5000 * 20 / 30 = 3333.33, and May has none
SELECT mentor.revoke_certificate(1, '2026-04-21', 'audit');
SELECT month, mentee_days, mentee_months, amount, note
FROM mentor.bonus_accruals('2026-04-01', '2026-05-31');
SELECT status, ended_on, end_reason FROM mentor.pairing WHERE pairing_id = :a;

-- a percentage agreement: the percentage and the mentee-months, for payroll
UPDATE mentor.agreement SET bonus_kind = 'percent', bonus_amount = 10, currency = NULL
WHERE number = 'MA-2026-00001';
SELECT month, mentee_months, agreement_number, bonus_kind, amount, note
FROM mentor.bonus_accruals('2026-03-01', '2026-03-31');
-- a month range given by any day of the months
SELECT count(*) AS months FROM mentor.bonus_accruals('2026-03-17', '2026-04-02');
