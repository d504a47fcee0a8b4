using System.Text;

namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>Asserts that text holds none of some secret values, as written or in base64.</summary>
public static class SecretValueCheck
{
    public static string[] Forms(string value) => [value, Convert.ToBase64String(Encoding.UTF8.GetBytes(value))];

    public static void AssertAbsent(string where, string text, params string[] values)
    {
        foreach (var form in values.SelectMany(Forms))
            Assert.False(text.Contains(form, StringComparison.Ordinal), $"{where} holds a secret's value ({form})");
    }
}
