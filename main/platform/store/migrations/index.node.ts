import { foundation } from './0001_foundation.node.ts';
import { customers } from './0002_customers.node.ts';
import { keyHierarchy } from './0003_key_hierarchy.node.ts';
import { approvals } from './0004_approvals.node.ts';
import { jobs } from './0005_jobs.node.ts';
import { concurrency } from './0006_concurrency.node.ts';
import { loginFailures } from './0009_login_failures.node.ts';
import { quarantine } from './0010_quarantine.node.ts';
import { erasure } from './0011_erasure.node.ts';
import { subjectRequests } from './0012_subject_requests.node.ts';
import { policyVersions } from './0013_policy_versions.node.ts';
import { disclosures } from './0014_disclosures.node.ts';
import { accountGovernance } from './0015_account_governance.node.ts';
import { keyRotation } from './0016_key_rotation.node.ts';
import { homeSeen } from './0018_home_seen.node.ts';
import { customerListIndex } from './0019_customer_list_index.node.ts';
import { blindIndexVersions } from './0020_blind_index_versions.node.ts';
import { auditStaging } from './0021_audit_staging.node.ts';
import { sectionsXChaCha } from './0022_sections_xchacha.node.ts';
import { searchReads } from './0023_search_reads.node.ts';
import type { Migration } from './migration.node.ts';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [foundation, customers, keyHierarchy, approvals, jobs, concurrency, loginFailures, quarantine, erasure, subjectRequests, policyVersions, disclosures, accountGovernance, keyRotation, homeSeen, customerListIndex, blindIndexVersions, auditStaging, sectionsXChaCha, searchReads];
