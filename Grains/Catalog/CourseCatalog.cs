using System.Collections.Immutable;

namespace Learning.Catalog;

/// <summary>
/// The courses this service offers. Content management is not part of the platform yet, so the catalog is
/// built in: 4 courses of 12 lessons, identical in every process (see <see cref="StableId"/>).
/// </summary>
public sealed class CourseCatalog
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

    private readonly Dictionary<Guid, Course> _courses = [];
    private readonly Dictionary<Guid, Lesson> _lessons = [];

    public CourseCatalog()
    {
        var summaries = new List<CourseSummary>(Courses.Length);
        for (var c = 0; c < Courses.Length; c++)
        {
            var (title, description, topics) = Courses[c];
            var courseId = StableId.From($"course:{c + 1}");
            var lessons = new List<CourseLesson>(topics.Length);
            for (var l = 0; l < topics.Length; l++)
            {
                var lesson = new Lesson(
                    StableId.From($"course:{c + 1}:lesson:{l + 1}"), courseId,
                    $"{title} - Lesson {l + 1}: {topics[l]}",
                    DurationMinutes: 10 + (c * 7 + l * 5) % 16,
                    Order: l + 1, FreePreview: l == 0, HasMedia: true);
                _lessons.Add(lesson.Id, lesson);
                lessons.Add(new CourseLesson(lesson.Id, lesson.Title, lesson.DurationMinutes, lesson.Order, lesson.FreePreview, lesson.HasMedia));
            }

            _courses.Add(courseId, new Course(courseId, title, description, lessons));
            summaries.Add(new CourseSummary(courseId, title, description, lessons.Count));
        }

        Summaries = summaries.ToImmutableList();
    }

    /// <summary>The courses in catalog order; built once, never changed.</summary>
    public IReadOnlyList<CourseSummary> Summaries { get; }

    public Course? FindCourse(string id) => Guid.TryParse(id, out var key) ? _courses.GetValueOrDefault(key) : null;

    public Lesson? FindLesson(string id) => Guid.TryParse(id, out var key) ? FindLesson(key) : null;

    public Lesson? FindLesson(Guid id) => _lessons.GetValueOrDefault(id);
}
