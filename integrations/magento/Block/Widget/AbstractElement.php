<?php
declare(strict_types=1);

namespace Finframe\Elements\Block\Widget;

use Finframe\Elements\Block\Loader;
use Magento\Framework\Data\Form\FormKey;
use Magento\Framework\View\Element\Template;
use Magento\Framework\View\Element\Template\Context;
use Magento\Store\Model\ScopeInterface;
use Magento\Widget\Block\BlockInterface;

/**
 * One finframe element as a CMS widget: the element inside a <form> that posts to the merchant's
 * controller with Magento's form_key, and the module script that registers it. One subclass per
 * element, because Magento finds a widget's parameters by its block class.
 *
 * Every value here is the admin's (widget parameters, Stores > Configuration); the template escapes
 * each one. No token ever: the element asks `session-url` for it in the shopper's browser.
 */
abstract class AbstractElement extends Template implements BlockInterface
{
    /** The element's tag name. */
    protected const TAG = '';
    /** Its group in the admin configuration: finframe/{group}/{field}. */
    protected const CONFIG_GROUP = '';
    /** The outcome `required` waits for, and the default of `submit-on`. */
    protected const SUCCESS = '';
    /** The form field name when the widget gives none. */
    protected const DEFAULT_NAME = '';

    /** @var int Elements rendered so far in this request: each gets its own id on the page. */
    private static int $count = 0;

    /** @var string */
    protected $_template = 'Finframe_Elements::widget/element.phtml';

    private FormKey $formKey;

    private ?string $domId = null;

    /**
     * @param array<string, mixed> $data
     */
    public function __construct(Context $context, FormKey $formKey, array $data = [])
    {
        parent::__construct($context, $data);
        $this->formKey = $formKey;
    }

    public function getTagName(): string
    {
        return static::TAG;
    }

    /**
     * The module script's URL (the same file as the loader block's).
     */
    public function getLoaderUrl(): string
    {
        return $this->getViewFileUrl('Finframe_Elements::js/' . Loader::ENTRY);
    }

    /**
     * Magento's CSRF token for the form's POST. Magento's own scripts refresh it on pages served from
     * the full-page cache (Luma's form-key provider, Hyvä's form key handling both update
     * input[name="form_key"]).
     */
    public function getFormKey(): string
    {
        return (string) $this->formKey->getFormKey();
    }

    public function getFormAction(): string
    {
        return $this->param('form_action') ?? $this->config('form_action');
    }

    /**
     * The element's id on the page, for the open button's `commandfor`.
     */
    public function getDomId(): string
    {
        if ($this->domId === null) {
            $this->domId = 'finframe-' . static::TAG . '-' . (++self::$count);
        }
        return $this->domId;
    }

    /**
     * Whether the element opens as a modal dialog, from a button (Invoker Commands: `--open`).
     */
    public function isModal(): bool
    {
        return false;
    }

    public function getOpenLabel(): string
    {
        return $this->param('open_label') ?? (string) __('Open');
    }

    /**
     * The form's own submit button (the element also submits the form itself, with `submit-on`).
     */
    public function getSubmitLabel(): string
    {
        return $this->param('button_label') ?? (string) __('Continue');
    }

    /**
     * The element's attributes, in order: a string value, or true for a boolean attribute.
     *
     * @return array<string, string|true>
     */
    public function getElementAttributes(): array
    {
        $attributes = ['id' => $this->getDomId()] + $this->providerAttributes() + $this->formAttributes();
        return array_filter($attributes, static fn ($value) => $value === true || (is_string($value) && $value !== ''));
    }

    /**
     * The provider's own attributes (instance, environment, flow…), and `session-url` or `src`.
     *
     * @return array<string, string|bool|null>
     */
    abstract protected function providerAttributes(): array;

    /**
     * @return array<string, string|bool|null>
     */
    protected function formAttributes(): array
    {
        return [
            'name' => $this->param('field_name') ?? static::DEFAULT_NAME,
            'required' => $this->flag('required', false),
            'submit-on' => $this->param('submit_on') ?? static::SUCCESS,
        ];
    }

    protected function sessionUrl(): string
    {
        return $this->param('session_url') ?? $this->config('session_url');
    }

    /**
     * A widget parameter, trimmed; null when the admin left it empty.
     */
    protected function param(string $key): ?string
    {
        $value = $this->getData($key);
        if (!is_scalar($value)) {
            return null;
        }
        $value = trim((string) $value);
        return $value === '' ? null : $value;
    }

    /**
     * A yes/no widget parameter ("1" or "0"), or the default when it is not set.
     */
    protected function flag(string $key, bool $default): bool
    {
        $value = $this->param($key);
        return $value === null ? $default : $value === '1' || $value === 'true';
    }

    /**
     * The admin's default for this element: finframe/{group}/{field}, at store scope.
     */
    protected function config(string $field): string
    {
        return trim((string) $this->_scopeConfig->getValue(
            'finframe/' . static::CONFIG_GROUP . '/' . $field,
            ScopeInterface::SCOPE_STORE
        ));
    }
}
