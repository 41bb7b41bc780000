import type { DeletionRequestLog } from '../erasure/erasure.port.node.ts';
import { REQUEST_CHANNELS, type RequestChannel } from './subjectRequests.contract.std.ts';
import { completeLinkedRequest, linkCustomersDeletionRequest, openRequest } from './subjectRequests.port.node.ts';

const isRequestChannel = (channel: string): channel is RequestChannel => (REQUEST_CHANNELS as readonly string[]).includes(channel);

/**
 * A deletion the customer asked for is a tracked request with a deadline: filing any deletion links the customer's
 * open deletion request; one the customer asked for with none open logs one received today (unless it came
 * through no customer channel). The approval's outcome closes it — completed when carried out, refused when denied.
 */
export const trackedDeletions: DeletionRequestLog = {
  async filed(q, { customerId, approvalId, customerAsked, channel, requesterId, at }) {
    if (await linkCustomersDeletionRequest(q, customerId, approvalId, at)) return;
    if (!customerAsked || !isRequestChannel(channel)) return;
    await openRequest(q, { customerId, type: 'deletion', channel, receivedOn: at.slice(0, 10), createdBy: requesterId, at, linkedApprovalId: approvalId });
  },
  async decided(q, approvalId, outcome, at, actorId) {
    await completeLinkedRequest(q, approvalId, outcome, { at, actorId });
  },
};
