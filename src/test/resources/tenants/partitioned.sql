-- A store-per-tenant schema with partitioned tables in every form real ones have: foreign keys declared on each
-- partition and none on the parent (the form of schemas made before PostgreSQL 11), one on a sub-partitioned middle
-- level, one on some partitions only, one referencing a partition, a default partition, and a table partitioned by
-- the tenant column itself. Rows after the line "-- rows".
CREATE TABLE store (store_id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE customer (customer_id int PRIMARY KEY, store_id int NOT NULL REFERENCES store, name text);
CREATE INDEX ON customer (store_id);
CREATE TABLE staff (staff_id int PRIMARY KEY, name text);
CREATE TABLE payment (
  payment_id int,
  customer_id int NOT NULL,
  staff_id int,
  amount numeric(5, 2),
  payment_date date NOT NULL,
  PRIMARY KEY (payment_id, payment_date)) PARTITION BY RANGE (payment_date);
CREATE TABLE payment_2025 PARTITION OF payment FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE payment_2026 PARTITION OF payment FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
  PARTITION BY HASH (payment_id);
CREATE TABLE payment_2026_a PARTITION OF payment_2026 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE payment_2026_b PARTITION OF payment_2026 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE payment_other PARTITION OF payment DEFAULT;
ALTER TABLE payment_2025 ADD FOREIGN KEY (customer_id) REFERENCES customer;
ALTER TABLE payment_2026 ADD FOREIGN KEY (customer_id) REFERENCES customer;
ALTER TABLE payment_other ADD FOREIGN KEY (customer_id) REFERENCES customer;
-- Only this year's payments name the staff member who took them.
ALTER TABLE payment_2026 ADD FOREIGN KEY (staff_id) REFERENCES staff;
CREATE TABLE refund (
  refund_id int PRIMARY KEY,
  payment_id int NOT NULL,
  payment_date date NOT NULL,
  FOREIGN KEY (payment_id, payment_date) REFERENCES payment_2025 (payment_id, payment_date));
CREATE TABLE rental (
  rental_id int,
  store_id int NOT NULL REFERENCES store,
  customer_id int REFERENCES customer,
  PRIMARY KEY (rental_id, store_id)) PARTITION BY LIST (store_id);
CREATE TABLE rental_1 PARTITION OF rental FOR VALUES IN (1);
CREATE TABLE rental_2 PARTITION OF rental FOR VALUES IN (2);
CREATE TABLE rental_rest PARTITION OF rental DEFAULT;

-- rows
INSERT INTO store VALUES (1, 'North'), (2, 'South'), (3, 'East');
INSERT INTO customer VALUES (10, 1, 'Ann'), (11, 1, 'Bob'), (20, 2, 'Cid');
INSERT INTO staff VALUES (7, 'Mike'), (8, 'Jon');
INSERT INTO payment VALUES
  (1, 10, 8, 1.00, '2025-03-01'),
  (2, 11, 7, 2.00, '2026-02-01'),
  (3, 10, 7, 3.00, '2026-05-01'),
  (4, 20, 8, 4.00, '2026-03-01'),
  (5, 11, NULL, 5.00, '2030-01-01'),
  (6, 20, NULL, 6.00, '2024-06-01'),
  (7, 20, 8, 7.00, '2025-07-01');
INSERT INTO refund VALUES (1, 1, '2025-03-01'), (2, 7, '2025-07-01');
INSERT INTO rental VALUES (1, 1, 10), (2, 2, 20), (3, 3, NULL);
