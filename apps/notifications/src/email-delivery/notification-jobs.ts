import { JOB_CONTRACTS, JobName, QUEUES } from '@app/contracts';

/** The job names whose contract routes them to the notifications queue. */
export type NotificationJobName = {
  [N in JobName]: (typeof JOB_CONTRACTS)[N]['queue'] extends typeof QUEUES.notifications
    ? N
    : never;
}[JobName];

/** The same names at runtime, read from the contracts. */
export const NOTIFICATION_JOB_NAMES = (Object.keys(JOB_CONTRACTS) as JobName[]).filter(
  (name): name is NotificationJobName => JOB_CONTRACTS[name].queue === QUEUES.notifications,
);
