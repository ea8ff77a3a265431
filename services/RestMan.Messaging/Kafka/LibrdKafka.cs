using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RestMan.Messaging;

/// <summary>
/// Makes every <c>librdkafka</c> import load the 2.16 build bundled in <c>librdkafka.redist</c>
/// (<c>runtimes/linux-x64/native/centos8-librdkafka.so</c>, glibc only). The package's default <c>librdkafka.so</c>
/// needs libsasl2.so.3, which Debian lacks; the loader would then fall back to a system librdkafka of another version.
/// </summary>
public static class LibrdKafka
{
    private const string BundledFile = "centos8-librdkafka.so";
    private static readonly ConcurrentDictionary<Assembly, bool> Resolved = new();
    private static readonly Lazy<IntPtr> Handle = new(LoadBundled);

    // Before the first Kafka call of any process that loads RestMan.Messaging; a library initializer is the point here.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => UseBundledLibrary(typeof(Confluent.Kafka.Library).Assembly);

    /// <summary>Points the <c>librdkafka</c> imports of <paramref name="assembly"/> (its own P/Invokes) at the same bundled library.</summary>
    public static void UseBundledLibrary(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        // One resolver per assembly is all the runtime allows.
        if (!Resolved.TryAdd(assembly, true)) return;
        NativeLibrary.SetDllImportResolver(assembly, static (name, _, _) =>
            name.Contains("librdkafka", StringComparison.Ordinal) ? Handle.Value : IntPtr.Zero);
    }

    /// <summary>The bundled library's path, or null where there is none (other platforms keep the package's default).</summary>
    public static string? BundledPath { get; } = FindBundled();

    private static IntPtr LoadBundled() => BundledPath is { } path ? NativeLibrary.Load(path) : IntPtr.Zero;

    private static string? FindBundled()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return null;
        string[] roots = [AppContext.BaseDirectory, Path.GetDirectoryName(typeof(LibrdKafka).Assembly.Location) ?? ""];
        return roots.Where(root => root.Length > 0)
            .Select(root => Path.Combine(root, "runtimes", "linux-x64", "native", BundledFile))
            .FirstOrDefault(File.Exists);
    }
}
