<?php
declare(strict_types=1);

namespace Finframe\Elements\Block\Widget;

/**
 * <finapi-web-form>: finAPI's Web Form 2.0 (bank connections and payments in Germany). finAPI allows
 * one web form per page.
 */
class FinapiWebForm extends AbstractElement
{
    protected const TAG = 'finapi-web-form';
    protected const CONFIG_GROUP = 'finapi';
    protected const SUCCESS = 'completed';
    protected const DEFAULT_NAME = 'webform';

    protected function providerAttributes(): array
    {
        return [
            'environment' => $this->param('environment') ?? $this->config('environment'),
            'session-url' => $this->sessionUrl(),
        ];
    }
}
