/**
 * How many writes in this process have given outbox delivery work (an event, a reply, a message),
 * counted when sent whether or not they commit. A request nudges delivery only when this moved while
 * it ran: a posting that queued nothing (most do) then costs delivery no run. A rolled-back write
 * makes one run for nothing, never one missed.
 */
let queued = 0;

export const noteQueued = () => {
  queued++;
};

export const queuedSoFar = () => queued;
