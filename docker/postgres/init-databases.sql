-- Runs once, when the PostgreSQL volume is first initialised: one database per service
-- (DESIGN.md: each service owns its database). The migrate services apply the schemas.
CREATE DATABASE pcp_identity;
CREATE DATABASE pcp_relationships;
CREATE DATABASE pcp_notifications;
