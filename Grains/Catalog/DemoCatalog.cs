using System.Collections.Immutable;

namespace Learning.Catalog;

/// <summary>
/// The 4 × 12 demo catalog: seed data only, imported into an empty catalog when <c>Demo:Catalog</c> is on, or once
/// by a deployment that served it when it was compiled in. Ids are the ones it always had (see <see cref="StableId"/>),
/// so existing clients and links keep working; every course is published and each course's first lesson is a free
/// preview.
/// </summary>
public static class DemoCatalog
{
    private static readonly (string Title, string Description, string[] Topics)[] Courses =
    [
        ("Ayurvedic Fundamentals", "The doshas, daily routines and the principles behind Ayurvedic care.",
            ["Origins", "The five elements", "Vata", "Pitta", "Kapha", "Prakriti and vikriti", "Agni", "Daily routine",
             "Seasonal routine", "Six tastes", "Herbs in the kitchen", "Putting it together"]),
        ("Yoga for Daily Practice", "A progressive home practice: postures, breath and rest.",
            ["Arriving", "Standing postures", "Sun salutation", "Balance", "Twists", "Forward folds", "Backbends",
             "Hip openers", "Inversions", "Breath and movement", "Restorative practice", "Your own sequence"]),
        ("Sanskrit for Beginners", "Script, sounds and first texts.",
            ["The sound system", "Vowels", "Consonants", "Devanagari I", "Devanagari II", "Sandhi", "Nouns",
             "Verbs", "Simple sentences", "Reading a sutra", "Chanting", "Review"]),
        ("Meditation and Breath", "Pranayama and meditation techniques for a steady mind.",
            ["Why breathe", "Posture for sitting", "Diaphragmatic breath", "Alternate nostril", "Ujjayi",
             "Bhramari", "Counting meditation", "Body scan", "Mantra", "Open awareness", "Obstacles", "A daily habit"]),
    ];

    /// <summary>The demo catalog as if created at <paramref name="now"/>, at version 0 (not stored yet).</summary>
    public static CatalogSnapshot Create(DateTimeOffset now)
    {
        var courses = ImmutableArray.CreateBuilder<CatalogCourse>(Courses.Length);
        var lessons = ImmutableArray.CreateBuilder<CatalogLesson>();
        for (var c = 0; c < Courses.Length; c++)
        {
            var (title, description, topics) = Courses[c];
            var courseId = StableId.From($"course:{c + 1}");
            courses.Add(new CatalogCourse(courseId, title, description, Published: true, now, now));
            for (var l = 0; l < topics.Length; l++)
            {
                lessons.Add(new CatalogLesson(
                    StableId.From($"course:{c + 1}:lesson:{l + 1}"), courseId,
                    $"{title} - Lesson {l + 1}: {topics[l]}",
                    DurationMinutes: 10 + (c * 7 + l * 5) % 16,
                    Order: l + 1, FreePreview: l == 0, Media: null, now, now));
            }
        }

        return new CatalogSnapshot(0, courses.MoveToImmutable(), lessons.ToImmutable());
    }
}
