export { ReceptionBoardPage } from './ReceptionBoard';
export { DoctorQueuePage } from './DoctorQueue';
export { WaitingRoomPage } from './WaitingRoom';
export { WaitTimesPage } from './WaitTimes';
export { useQueueMessages } from './messages';
