namespace Learning.Email;

/// <summary>A message a dispatcher holds a lease on; <see cref="Attempt"/> (1 for the first) identifies this claim.</summary>
public sealed record ClaimedMail(OutgoingMail Mail, int Attempt);
