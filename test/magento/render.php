<?php
/**
 * Renders the module's templates with its real Block classes over the stubs in stubs.php.
 *
 *   php test/magento/render.php < spec.json
 *
 * spec: {"config": {"finframe/flinks/instance": "acme", …}, "formKey": "…", "staticBase": "/static/…",
 *        "blocks": [{"class": "Widget\\FlinksConnect" | "Loader", "data": {widget parameters}}, …]}
 * Prints the blocks' HTML in order, as one page region; exits 1 with a message on any PHP error.
 */
declare(strict_types=1);

use Magento\Framework\Component\ComponentRegistrar;

set_error_handler(static function (int $severity, string $message, string $file, int $line): bool {
    throw new ErrorException($message, 0, $severity, $file, $line);
});

require __DIR__ . '/stubs.php';
$module = dirname(__DIR__, 2) . '/integrations/magento';
require $module . '/registration.php';
$moduleDir = ComponentRegistrar::$paths[ComponentRegistrar::MODULE]['Finframe_Elements'] ?? null;
if ($moduleDir !== $module) {
    fwrite(STDERR, "registration.php did not register Finframe_Elements at its own directory\n");
    exit(1);
}
// The module's PSR-4 root, as composer.json declares it.
spl_autoload_register(static function (string $class) use ($moduleDir): void {
    $prefix = 'Finframe\\Elements\\';
    if (str_starts_with($class, $prefix)) {
        $file = $moduleDir . '/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

$spec = json_decode((string) stream_get_contents(STDIN), true, 32, JSON_THROW_ON_ERROR);

$config = new class ($spec['config'] ?? []) implements \Magento\Framework\App\Config\ScopeConfigInterface {
    public function __construct(private array $values)
    {
    }

    public function getValue($path, $scopeType = 'default', $scopeCode = null)
    {
        if ($scopeType !== \Magento\Store\Model\ScopeInterface::SCOPE_STORE) {
            throw new LogicException("finframe's settings are read at store scope, not $scopeType");
        }
        return $this->values[$path] ?? null;
    }

    public function isSetFlag($path, $scopeType = 'default', $scopeCode = null)
    {
        return (bool) $this->getValue($path, $scopeType, $scopeCode);
    }
};
$context = new \Magento\Framework\View\Element\Template\Context($config, $spec['staticBase'] ?? '/static/frontend/Magento/luma/en_US');
$formKey = new \Magento\Framework\Data\Form\FormKey($spec['formKey'] ?? 'FORMKEY');
$escaper = new \Magento\Framework\Escaper();
$secureRenderer = new \Magento\Framework\View\Helper\SecureHtmlRenderer($escaper);

/** Magento's PHP template engine: the template included with $block, $escaper and $secureRenderer in scope. */
function render_block(object $block, string $moduleDir, object $escaper, object $secureRenderer): string
{
    [$moduleName, $path] = explode('::', $block->getTemplate(), 2);
    if ($moduleName !== 'Finframe_Elements') {
        throw new LogicException("template of another module: $moduleName");
    }
    ob_start();
    try {
        (static function (string $__file, object $block, object $escaper, object $secureRenderer): void {
            include $__file;
        })($moduleDir . '/view/frontend/templates/' . $path, $block, $escaper, $secureRenderer);
        return (string) ob_get_contents();
    } finally {
        ob_end_clean();
    }
}

try {
    foreach ($spec['blocks'] as $entry) {
        $class = 'Finframe\\Elements\\Block\\' . $entry['class'];
        $data = $entry['data'] ?? [];
        $block = $entry['class'] === 'Loader' ? new $class($context, $data) : new $class($context, $formKey, $data);
        echo render_block($block, $moduleDir, $escaper, $secureRenderer);
    }
} catch (Throwable $error) {
    fwrite(STDERR, get_class($error) . ': ' . $error->getMessage() . ' at ' . $error->getFile() . ':' . $error->getLine() . "\n");
    exit(1);
}
