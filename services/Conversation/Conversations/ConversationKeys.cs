namespace CareMessaging.Conversation.Conversations;

/// <summary>What identifies a conversation to the events about it: its id, its patient and the patient's care team.</summary>
public readonly record struct ConversationKeys(Guid Id, string PatientId, string CareTeamId);
