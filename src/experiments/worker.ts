// Worker-thread entry of the experiment runner (loaded by piscina): one job per call.
import { executeJobForWorker, type Job, type WorkerReply } from './job.js';

export default function runJob(job: Job): WorkerReply {
  return executeJobForWorker(job);
}
