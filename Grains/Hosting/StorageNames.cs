namespace Learning.Hosting;

public static class StorageNames
{
    /// <summary>The grain storage provider every grain of this service persists to.</summary>
    public const string Default = "learning";
}
