using System.Globalization;

namespace RestMan.Tests.Infrastructure;

/// <summary>
/// Throwaway data folders of test graphs, each marked with the process that owns it. The test runner may end that
/// process before its exit handlers finish deleting, so every new test graph first removes folders whose owner is gone.
/// </summary>
public static class TestDataRoots
{
    private const string Prefix = "restman-test-";
    private const string OwnerFile = ".owner-pid";

    public static string Create()
    {
        SweepAbandoned();
        var root = Path.Combine(Path.GetTempPath(), Prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return root;
    }

    private static void SweepAbandoned()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var owner = Path.Combine(folder, OwnerFile);
            if (!File.Exists(owner) || !int.TryParse(File.ReadAllText(owner), out var pid)) continue; // not ours to judge
            if (pid == Environment.ProcessId || Directory.Exists($"/proc/{pid}")) continue;
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Another test run is sweeping the same folder.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    public static void Delete(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A straggling file handle only leaves a temp folder behind; the next run sweeps it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
