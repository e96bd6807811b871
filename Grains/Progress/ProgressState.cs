using System.Collections.Immutable;

namespace Learning.Progress;

/// <summary>
/// The progress a user's grain holds (<c>UserState.Progress</c>): only lessons with an open session and records not yet
/// written to the progress store, so a learner with thousands of lessons in progress stores a handful here.
/// </summary>
[GenerateSerializer, Immutable, Alias("progress.state")]
public sealed record ProgressState
{
    public static readonly ProgressState None = new();

    [Id(0)] public ImmutableList<HeldProgress> Lessons { get; init; } = [];
}

/// <summary>A lesson's progress held by the grain; <see cref="Written"/> once the store has this revision.</summary>
[GenerateSerializer, Immutable, Alias("progress.held")]
public sealed record HeldProgress([property: Id(0)] LessonProgress Progress, [property: Id(1)] bool Written);
